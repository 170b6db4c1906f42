#include "hashing/classic_functions.hpp"

#include "hashing/key_mix.hpp"

namespace ringlb::hashing {

namespace {

// Packs (server id, replica) into one 64-bit value, distinct for distinct pairs.
std::uint64_t pack(std::uint32_t server_id, std::uint32_t replica) noexcept {
    return (std::uint64_t{server_id} << 32U) | replica;
}

constexpr std::uint64_t kXxh3VirtualServerSeed = 0x636c617373696331;  // "classic1"

}  // namespace

std::uint64_t splitmix64(std::uint64_t value) noexcept {
    value += 0x9e3779b97f4a7c15;
    value = (value ^ (value >> 30U)) * 0xbf58476d1ce4e5b9;
    value = (value ^ (value >> 27U)) * 0x94d049bb133111eb;
    return value ^ (value >> 31U);
}

std::uint32_t request_slot(ClassicFunctions functions, Key request_id,
                           std::uint32_t slots) noexcept {
    switch (functions) {
        case ClassicFunctions::kAssignment: {
            // i < slots <= 2^24, so i² + 2i + 17 fits in 64 bits.
            const std::uint64_t i = request_id % slots;
            return static_cast<std::uint32_t>((i * i + 2 * i + 17) % slots);
        }
        case ClassicFunctions::kSplitMix:
            return static_cast<std::uint32_t>(reduce(splitmix64(request_id), slots));
        case ClassicFunctions::kXxh3:
            return static_cast<std::uint32_t>(reduce(mix_key(request_id), slots));
    }
    return 0;  // unreachable: the switch covers every enumerator
}

std::uint32_t virtual_server_slot(ClassicFunctions functions, std::uint32_t server_id,
                                  std::uint32_t replica, std::uint32_t slots) noexcept {
    switch (functions) {
        case ClassicFunctions::kAssignment: {
            const std::uint64_t i = server_id % slots;
            const std::uint64_t j = replica % slots;
            return static_cast<std::uint32_t>((i * i + j * j + 2 * j + 25) % slots);
        }
        case ClassicFunctions::kSplitMix:
            return static_cast<std::uint32_t>(reduce(splitmix64(pack(server_id, replica)), slots));
        case ClassicFunctions::kXxh3:
            return static_cast<std::uint32_t>(
                reduce(mix_key(pack(server_id, replica), kXxh3VirtualServerSeed), slots));
    }
    return 0;  // unreachable
}

}  // namespace ringlb::hashing
