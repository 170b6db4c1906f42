#pragma once

#include <memory>
#include <type_traits>

#include "hashing/member.hpp"

namespace ringlb::hashing {

// A non-owning reference to a predicate `bool(MemberIndex)`, so a walk over a table can take any
// lambda without a template in the virtual interface and without allocating (std::function may).
// It must not outlive the predicate it refers to; pass it down, never store it. The predicate
// must not throw: walks are noexcept.
class AcceptRef {
  public:
    template <class F>
    requires(!std::is_same_v<std::remove_cvref_t<F>, AcceptRef> &&
             std::is_invocable_r_v<bool, F&, MemberIndex>) explicit AcceptRef(F& predicate) noexcept
        : predicate_(std::addressof(predicate)), call_(&call<F>) {}

    bool operator()(MemberIndex member) const noexcept { return call_(predicate_, member); }

  private:
    template <class F>
    static bool call(const void* predicate, MemberIndex member) noexcept {
        using Predicate = std::remove_reference_t<F>;
        auto* const typed = const_cast<Predicate*>(static_cast<const Predicate*>(predicate));
        return (*typed)(member);
    }

    const void* predicate_;
    bool (*call_)(const void*, MemberIndex) noexcept;
};

}  // namespace ringlb::hashing
