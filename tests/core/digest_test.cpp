#include "core/digest.h"

#include <gtest/gtest.h>

TEST(Digest, HashesWithSha256) {
  // FIPS 180-2 test vector.
  EXPECT_EQ(carescan::core::sha256_hex("abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}
