#include "cli/cli.h"

int main(int argc, char** argv) {
  return accredit::cli::Main(argc, argv);
}
