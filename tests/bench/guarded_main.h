#pragma once
// A benchmark's main: a file or an argument it cannot take ends the run with the reason and a
// failing exit code, instead of an abort from an escaped exception.

#include <exception>
#include <iostream>

namespace carescan::bench {

template <typename Run>
int guarded_main(Run run, int argc, char** argv) {
  try {
    return run(argc, argv);
  } catch (const std::exception& e) {
    std::cerr << "error: " << e.what() << "\n";
    return 1;
  }
}

}  // namespace carescan::bench
