#pragma once
// The generator's only source of randomness: seeded, so the same seed gives the same bytes.

#include <cstdint>
#include <random>
#include <vector>

namespace carescan::synth {

using Rng = std::mt19937_64;

// SplitMix64: derives independent per-page seeds from (seed, index), so that page 7 of a set
// is the same whatever the count.
inline std::uint64_t derive_seed(std::uint64_t seed, std::uint64_t index) {
  std::uint64_t z = seed + 0x9E3779B97F4A7C15ULL * (index + 1);
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
  return z ^ (z >> 31);
}

inline double uniform(Rng& rng, double lo, double hi) {
  return std::uniform_real_distribution<double>(lo, hi)(rng);
}
inline int uniform_int(Rng& rng, int lo, int hi) {  // inclusive
  return std::uniform_int_distribution<int>(lo, hi)(rng);
}
inline bool chance(Rng& rng, double p) {
  return uniform(rng, 0.0, 1.0) < p;
}
inline double normal(Rng& rng, double mean, double sd) {
  return std::normal_distribution<double>(mean, sd)(rng);
}
template <typename T>
const T& pick(Rng& rng, const std::vector<T>& items) {
  return items[static_cast<size_t>(uniform_int(rng, 0, static_cast<int>(items.size()) - 1))];
}

}  // namespace carescan::synth
