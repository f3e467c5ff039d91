#!/bin/sh
# man-synopsis.sh PAGE - print what an mdoc page says a tool's command line
# is, in the format of `TOOL __synopsis`: the SYNOPSIS, joined into one
# line, then one line per item tag of the COMMANDS section (xm, virsh) or
# the OPTIONS section (virt-install), in page order.  Only the tags of the
# outermost lists of those sections count: lists nested in an item (a
# command's own options) and lists of other sections do not.  Runs of white
# space become one space.
#
# The page is rendered to HTML, where each tag is one <dt> element: unlike
# the terminal formats, this does not put a short tag and the start of its
# body on one line.  The few character entities mandoc writes are turned
# back into what the ASCII output shows.
#
# Exit status: 0, 1 if the page cannot be rendered or has no SYNOPSIS,
# 2 on a usage error.

set -eu

if [ $# -ne 1 ]; then
	echo "usage: man-synopsis.sh page" >&2
	exit 2
fi
if [ ! -r "$1" ]; then
	echo "man-synopsis.sh: $1: cannot read" >&2
	exit 1
fi

html=$(mandoc -mdoc -Thtml -- "$1") || {
	echo "man-synopsis.sh: $1: mandoc failed" >&2
	exit 1
}

printf '%s\n' "$html" | awk -v page="$1" '
BEGIN { RS = "<" }		# each record: a tag, ">", the text after it

function decode(s) {
	gsub(/&lt;/, "<", s)
	gsub(/&gt;/, ">", s)
	gsub(/&quot;/, "\"", s)
	gsub(/&#x27E8;/, "<", s)	# Aq
	gsub(/&#x27E9;/, ">", s)
	gsub(/&#x2018;|&#x2019;|&#39;|&#x27;/, "\047", s)	# Ql, Sq
	gsub(/&#x201C;|&#x201D;/, "\"", s)	# Dq
	gsub(/&#x2026;/, "...", s)
	gsub(/&#x2013;/, "-", s)
	gsub(/&#x2014;/, "--", s)
	gsub(/&nbsp;|&#x00A0;/, " ", s)
	gsub(/&amp;/, "\\&", s)
	return s
}

function norm(s) {
	gsub(/[ \t\n\r]+/, " ", s)
	sub(/^ /, "", s)
	sub(/ $/, "", s)
	return s
}

function text(s) {
	s = decode(s)
	if (in_h1)
		h1 = h1 s
	else if (in_dt)
		dt = dt s
	else if (sect == "SYNOPSIS")
		syn = syn s
}

function tag(t) {
	# block elements separate words, as a line break would
	if (t ~ /^\/?(table|tr|td|br|p|div|pre)[ \t\n\/>]/)
		text(" ")
	if (t ~ /^h1[ \t\n>]/) {
		in_h1 = 1
		h1 = ""
	} else if (t ~ /^\/h1>/) {
		in_h1 = 0
		sect = norm(h1)
		depth = 0
		if (sect == "SYNOPSIS")
			nsyn++
	} else if (t ~ /^dl[ \t\n>]/) {
		depth++
	} else if (t ~ /^\/dl>/) {
		depth--
	} else if (t ~ /^dt[ \t\n>]/ && depth == 1 &&
	    (sect == "COMMANDS" || sect == "OPTIONS")) {
		in_dt = 1
		dt = ""
	} else if (t ~ /^\/dt>/ && in_dt) {
		in_dt = 0
		tags[++ntags] = norm(dt)
	}
}

NR == 1 {
	text($0)
	next
}
{
	i = index($0, ">")
	if (i == 0) {
		printf "man-synopsis.sh: %s: bad HTML\n", page > "/dev/stderr"
		bad = 1
		exit 1
	}
	tag(substr($0, 1, i))
	text(substr($0, i + 1))
}

END {
	if (bad)
		exit 1
	if (nsyn != 1) {
		printf "man-synopsis.sh: %s: %d SYNOPSIS sections\n", page,
		    nsyn > "/dev/stderr"
		exit 1
	}
	print norm(syn)
	for (i = 1; i <= ntags; i++)
		print tags[i]
}'
