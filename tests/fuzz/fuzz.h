/*
 * fuzz.h - the libFuzzer entry point every fuzz target defines.  The same
 * targets are built twice: with clang's libFuzzer by `make fuzz`, and with
 * replay.c by `make check`, which runs them over the committed corpus.
 */
#ifndef XVM_FUZZ_H
#define XVM_FUZZ_H

#include <stddef.h>
#include <stdint.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#endif
