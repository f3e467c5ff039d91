/*
 * head.S - entry and Xen ELF notes of the xvm test guest, a minimal
 * x86_64 PV kernel (see guest.c).
 *
 * Xen (or a PV domain builder) enters _start in 64-bit mode with %rsi
 * pointing at the start_info page, the kernel mapped at its link address
 * and interrupts/events masked.  The hypercall page is filled in by
 * whoever builds the domain, at the address the HYPERCALL_PAGE note gives.
 */
#include <xen/elfnote.h>

#define ELFNOTE(type, body)			\
	.pushsection .note.Xen, "a", @note;	\
	.balign 4;				\
	.long 2f - 1f;				\
	.long 4f - 3f;				\
	.long type;				\
1:	.asciz "Xen";				\
2:	.balign 4;				\
3:	body;					\
4:	.balign 4;				\
	.popsection

	ELFNOTE(XEN_ELFNOTE_GUEST_OS, .asciz "xvm-test-guest")
	ELFNOTE(XEN_ELFNOTE_GUEST_VERSION, .asciz "1")
	ELFNOTE(XEN_ELFNOTE_XEN_VERSION, .asciz "xen-3.0")
	ELFNOTE(XEN_ELFNOTE_LOADER, .asciz "generic")
	ELFNOTE(XEN_ELFNOTE_VIRT_BASE, .quad _text)
	ELFNOTE(XEN_ELFNOTE_PADDR_OFFSET, .quad _text)	/* p_paddr = vaddr */
	ELFNOTE(XEN_ELFNOTE_ENTRY, .quad _start)
	ELFNOTE(XEN_ELFNOTE_HYPERCALL_PAGE, .quad hypercall_page)
	ELFNOTE(XEN_ELFNOTE_FEATURES, .asciz "!writable_page_tables")

	.section .text.head, "ax"
	.globl _start
_start:
	cld
	leaq	stack_top(%rip), %rsp
	movq	%rsi, %rdi		/* start_info */
	call	guest_main
1:	jmp	1b			/* guest_main does not return */

	.balign 4096
	.globl hypercall_page
hypercall_page:
	.fill 4096, 1, 0xcc		/* int3 until the builder fills it */

	.section .bss
	.balign 16
stack:
	.skip 16384
stack_top:

	.section .note.GNU-stack, "", @progbits
