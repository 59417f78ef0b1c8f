/* Runs every C unit test and prints "N passed, N failed". With --write-seeds DIR it instead writes the
 * golden vectors' wire bytes as fuzzing seeds (one file per vector). */
#include <stdlib.h>
#include <string.h>

#include "sb_test.h"
#include "sb_vectors.h"

static int passed, failed, current_failed;
static const char *current_name = "";

void sb_test_fail(const char *file, int line, const char *expr, long long got, long long want) {
  current_failed++;
  printf("FAIL %s (%s:%d): %s (got %lld, want %lld)\n", current_name, file, line, expr, got, want);
}

void sb_test_run(const char *name, void (*fn)(void)) {
  current_name = name;
  current_failed = 0;
  fn();
  if (current_failed == 0) passed++;
  else failed++;
}

static int write_seeds(const char *dir) {
  char path[512];
  for (size_t i = 0; i < SB_MESSAGE_VECTOR_COUNT; i++) {
    snprintf(path, sizeof path, "%s/msg-%s", dir, SB_MESSAGE_VECTORS[i].name);
    FILE *f = fopen(path, "wb");
    if (f == NULL) return 1;
    fwrite(SB_MESSAGE_VECTORS[i].wire, 1, SB_MESSAGE_VECTORS[i].wire_length, f);
    fclose(f);
  }
  for (size_t i = 0; i < SB_MALFORMED_VECTOR_COUNT; i++) {
    snprintf(path, sizeof path, "%s/mal-%s", dir, SB_MALFORMED_VECTORS[i].name);
    FILE *f = fopen(path, "wb");
    if (f == NULL) return 1;
    for (size_t c = 0; c < SB_MALFORMED_VECTORS[i].chunk_count; c++) {
      fwrite(SB_MALFORMED_VECTORS[i].chunks[c].bytes, 1, SB_MALFORMED_VECTORS[i].chunks[c].length, f);
    }
    fclose(f);
  }
  return 0;
}

int main(int argc, char **argv) {
  if (argc == 3 && strcmp(argv[1], "--write-seeds") == 0) return write_seeds(argv[2]);
  sb_tests_codec();
  sb_tests_receiver();
  sb_tests_validate();
  sb_tests_board();
  sb_tests_faults();
  printf("%d passed, %d failed\n", passed, failed);
  return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
