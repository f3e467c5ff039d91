#!/usr/bin/env python3
"""Regenerate the virsh-* golden files from the recorded outputs of the real
virsh 9.0 (shared/reference/virsh/virsh-01-help.txt), reduced to the
commands xvm has (the groups without any are dropped).

    tests/bats/golden/update.py [SHARED_DIR]

Run it after adding a virsh command; the bats tests then prove that xvm's
help is byte for byte the real one for every command it has."""
import json
import os
import subprocess
import sys

top = os.path.dirname(os.path.dirname(os.path.dirname(
    os.path.dirname(os.path.abspath(__file__)))))
shared = sys.argv[1] if len(sys.argv) > 1 else os.path.join(top, '..', 'shared')
ref = os.path.join(shared, 'reference', 'virsh', 'virsh-01-help.txt')
here = os.path.dirname(os.path.abspath(__file__))


def block(cmd):
    lines = open(ref).read().split('\n')
    i = lines.index('$ ' + cmd) + 1
    if lines[i] == '--- stdout: (empty) ---':
        return ''
    end = lines.index('--- end stdout ---', i)
    return '\n'.join(lines[i + 1:end]) + '\n'


def reduce(text, have):
    out, group, ingroups = [], [], False

    def flush():
        if any(l.startswith('    ') for l in group):
            out.extend(group)
    for l in text.split('\n'):
        if l.startswith(' ') and "(help keyword '" in l:
            if ingroups:
                flush()
            ingroups, group = True, [l]
            continue
        if ingroups:
            if l.startswith('    '):
                if l.split()[0] in have:
                    group.append(l)
                continue
            if l == '':
                group.append(l)
                continue
            flush()
            ingroups, group = False, []
        out.append(l)
    if ingroups:
        flush()
    return '\n'.join(out)


virsh = os.path.join(top, 'build', 'bin', 'virsh')
have = {c['name'] for c in json.loads(subprocess.check_output(
    [virsh, 'help', '--json']))['commands']}
outputs = {
    'virsh-help': reduce(block('virsh help'), have),
    'virsh-dash-h': reduce(block('virsh -h'), have),
    'virsh-help-virsh': reduce(block('virsh help virsh'), have),
    'virsh-help-domain': reduce(block('virsh help domain'), have),
}
for cmd in sorted(have):
    try:
        outputs['virsh-help-' + cmd] = block('virsh help ' + cmd)
    except ValueError:
        pass        # not recorded: the unit tests cover its layout
for name, text in outputs.items():
    with open(os.path.join(here, name), 'w') as f:
        f.write(text)
    print(name)
