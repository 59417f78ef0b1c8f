/* A tiny test runner: RUN(fn) runs one test function; CHECK* record failures with file and line.
 * main (sb_test_main.c) prints "N passed, N failed" and exits non-zero on any failure. */
#ifndef SB_TEST_H
#define SB_TEST_H

#include <stdio.h>

void sb_test_fail(const char *file, int line, const char *expr, long long got, long long want);
void sb_test_run(const char *name, void (*fn)(void));

#define CHECK(cond) do { if (!(cond)) sb_test_fail(__FILE__, __LINE__, #cond, 0, 0); } while (0)
#define CHECK_EQ(got, want) do { long long g_ = (long long)(got), w_ = (long long)(want); \
    if (g_ != w_) sb_test_fail(__FILE__, __LINE__, #got " == " #want, g_, w_); } while (0)
#define RUN(fn) sb_test_run(#fn, fn)

/* Test groups, one per file. */
void sb_tests_codec(void);
void sb_tests_receiver(void);
void sb_tests_validate(void);
void sb_tests_board(void);
void sb_tests_faults(void);

#endif /* SB_TEST_H */
