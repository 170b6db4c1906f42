#pragma once

#include <cstddef>
#include <memory>
#include <type_traits>
#include <utility>

#include <boost/asio/async_result.hpp>
#include <boost/asio/bind_allocator.hpp>
#include <boost/asio/buffer.hpp>
#include <boost/asio/detail/handler_work.hpp>
#include <boost/asio/detail/reactor.hpp>
#include <boost/asio/detail/reactor_op.hpp>
#include <boost/asio/detail/socket_ops.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/system/error_code.hpp>

// Why this file exists
// --------------------
// Asio's epoll reactor registers every socket edge-triggered and keeps one flag per socket and
// direction, "try the syscall first". A readiness event sets the flag; for receives only end of
// file clears it. So every async_read_some on a socket that has ever been readable starts with a
// recv, and when the peer has not sent yet (a keep-alive client that has just been answered, a
// replica that has just been sent a request) that recv fails with EAGAIN: a syscall per request
// for nothing (bench/RESULTS.md, "Figures that were in code comments", has its share).
//
// nginx and HAProxy avoid it with a rule that holds under edge-triggered epoll: a read that
// returns fewer bytes than it asked for has emptied the socket's receive queue, and any byte that
// arrives later raises a new event. async_read_edge is async_read_some with that rule: its
// operation tells the reactor "exhausted" after a short read (Asio's own send operation does the
// same after a short write), which clears the flag under the reactor's lock, at the moment of the
// read. The next read on the socket then waits for the next event without a syscall, and the
// event's arrival sets the flag again, so no byte is ever waited for in vain.
//
// The rule says nothing about end of file: a peer's FIN that arrives with its last bytes is
// reported by the same event as those bytes, so the short read that takes them leaves the FIN
// queued and no event follows. nginx keeps reading until EAGAIN when it cannot tell (without
// EPOLLRDHUP, which Asio does not register). Here the caller says which kind of read it wants:
// ReadStart::after_event for the first read after its own write (nothing can be in yet that a new
// event would not announce), ReadStart::try_first for a read that continues a message whose
// bytes have started to arrive: it tries the recv at once, so a queued FIN is seen as end of file.
//
// Asio has no public hook for this, so the operation is written against its reactor interface
// (boost::asio::detail), in the same shape as Asio's reactive_socket_recv_op. It is used only on
// TCP sockets served by the epoll reactor (Linux), and it supports cancellation through
// socket.cancel() and close(), which is how ringlb cancels; per-operation cancellation slots are
// not connected.

namespace ringlb::net {

namespace edge_read_detail {

namespace asio = boost::asio;
using Socket = asio::ip::tcp::socket;

// The socket's reactor state sits in a protected member of basic_socket; a derived class may
// name it, and the member pointer then works on any tcp::socket.
struct SocketAccess : Socket {
    static auto& implementation(Socket& socket) {
        return (socket.*(&SocketAccess::impl_)).get_implementation();
    }
};

// The operation's work, run by the reactor when the flag is set or an event has come: the read.
class EdgeReadOpBase : public asio::detail::reactor_op {
  public:
    EdgeReadOpBase(asio::detail::socket_type socket, asio::mutable_buffer buffer,
                   func_type complete_func)
        : reactor_op(boost::system::error_code(), &EdgeReadOpBase::do_perform, complete_func),
          socket_(socket),
          buffer_(buffer) {}

    static status do_perform(reactor_op* base) {
        auto* op = static_cast<EdgeReadOpBase*>(base);
        if (!asio::detail::socket_ops::non_blocking_recv1(op->socket_, op->buffer_.data(),
                                                          op->buffer_.size(), 0, true, op->ec_,
                                                          op->bytes_transferred_)) {
            return not_done;  // EAGAIN: wait for the next event
        }
        // The short read: see the top of this file. Errors and end of file keep Asio's rule.
        return !op->ec_ && op->bytes_transferred_ < op->buffer_.size() ? done_and_exhausted : done;
    }

  private:
    asio::detail::socket_type socket_;
    asio::mutable_buffer buffer_;
};

// A wait's work: nothing. The operation just completes, which makes a wait for readability that
// costs no syscall (Asio's async_wait re-arms the socket with epoll_ctl every time). It keeps no
// socket or buffer, so a held connection's operation stays small (see edge_io_executor below).
class EdgeWaitOpBase : public asio::detail::reactor_op {
  public:
    EdgeWaitOpBase(asio::detail::socket_type, asio::mutable_buffer, func_type complete_func)
        : reactor_op(boost::system::error_code(), &EdgeWaitOpBase::do_perform, complete_func) {}

    static status do_perform(reactor_op*) {
        return done;  // readable, or at least an event came since the last short read
    }
};

// Handler: void(error_code, bytes), or void(error_code) for a wait (IsWait).
template <typename Handler, typename IoExecutor, bool IsWait>
class EdgeReadOp : public std::conditional_t<IsWait, EdgeWaitOpBase, EdgeReadOpBase> {
    using Base = std::conditional_t<IsWait, EdgeWaitOpBase, EdgeReadOpBase>;

  public:
    BOOST_ASIO_DEFINE_HANDLER_PTR(EdgeReadOp);

    EdgeReadOp(asio::detail::socket_type socket, asio::mutable_buffer buffer, Handler& handler,
               const IoExecutor& io_ex)
        : Base(socket, buffer, &EdgeReadOp::do_complete),
          handler_(std::move(handler)),
          work_(handler_, io_ex) {}

    // Called by the scheduler to deliver the result (owner set) or to destroy the operation
    // unrun (owner null, at shutdown). The handler is moved out before the memory is freed,
    // since it may own that memory.
    static void do_complete(void* owner, asio::detail::operation* base,
                            const boost::system::error_code&, std::size_t) {
        auto* op = static_cast<EdgeReadOp*>(base);
        ptr p = {std::addressof(op->handler_), op, op};
        asio::detail::handler_work<Handler, IoExecutor> work(std::move(op->work_));
        auto bound = bind_result(op);
        p.h = std::addressof(bound.handler_);
        p.reset();
        if (owner) {
            asio::detail::fenced_block fence(asio::detail::fenced_block::half);
            work.complete(bound, bound.handler_);
        }
    }

  private:
    static auto bind_result(EdgeReadOp* op) {
        if constexpr (IsWait) {
            return asio::detail::binder1<Handler, boost::system::error_code>(op->handler_, op->ec_);
        } else {
            return asio::detail::binder2<Handler, boost::system::error_code, std::size_t>(
                op->handler_, op->ec_, op->bytes_transferred_);
        }
    }

    Handler handler_;
    asio::detail::handler_work<Handler, IoExecutor> work_;
};

// A wait's operation may last as long as its connection stays quiet (net::Server holds idle
// connections on one), so it is kept small: it names its io_context's own executor, a pointer,
// instead of the socket's type-erased one (every ringlb socket runs on an io_context), and with
// EdgeWaitOpBase it is much smaller than a read's. It is also allocated at exactly that size
// (see ExactAllocator).
template <bool IsWait>
auto edge_io_executor(Socket& socket) {
    if constexpr (IsWait) {
        auto& context = asio::query(socket.get_executor(), asio::execution::context);
        return static_cast<asio::io_context&>(context).get_executor();
    } else {
        return socket.get_executor();
    }
}

// Allocates exactly what is asked, with plain new and delete. Asio's default handler allocator
// reuses a per-thread block of whatever size an earlier operation needed (an accept's, for a
// much smaller wait), which suits short operations but would make a wait keep the larger block
// for as long as it waits.
template <typename T>
struct ExactAllocator {
    using value_type = T;
    ExactAllocator() = default;
    template <typename U>
    ExactAllocator(const ExactAllocator<U>&) noexcept {}  // NOLINT(google-explicit-constructor)
    T* allocate(std::size_t n) { return static_cast<T*>(::operator new(n * sizeof(T))); }
    void deallocate(T* p, std::size_t) noexcept { ::operator delete(p); }
    friend bool operator==(ExactAllocator, ExactAllocator) noexcept { return true; }
};

template <bool IsWait, typename Handler>
void start_edge_read(Socket& socket, asio::mutable_buffer buffer, bool try_first,
                     Handler&& handler) {
    const auto io_executor = edge_io_executor<IsWait>(socket);
    using Op = EdgeReadOp<std::decay_t<Handler>, std::decay_t<decltype(io_executor)>, IsWait>;
    auto& impl = SocketAccess::implementation(socket);
    auto& reactor = asio::use_service<asio::detail::reactor>(
        asio::query(socket.get_executor(), asio::execution::context));
    typename Op::ptr p = {std::addressof(handler), Op::ptr::allocate(handler), nullptr};
    p.p = new (p.v) Op(impl.socket_, buffer, handler, io_executor);
    // Completes at once when the socket cannot be made non-blocking (ec_ says why), or when a read
    // tried now got bytes or an error. That read runs outside the reactor's lock: all of a
    // socket's reads run on one thread, and a read that finds nothing falls through to start_op,
    // which checks the flag under the lock.
    const bool cannot_wait = !(impl.state_ & asio::detail::socket_ops::non_blocking) &&
                             !asio::detail::socket_ops::set_internal_non_blocking(
                                 impl.socket_, impl.state_, true, p.p->ec_);
    if (cannot_wait || (try_first && p.p->perform() != asio::detail::reactor_op::not_done)) {
        reactor.post_immediate_completion(p.p, false);
    } else {
        reactor.start_op(asio::detail::reactor::read_op, impl.socket_, impl.reactor_data_, p.p,
                         false, true);
    }
    p.v = p.p = nullptr;
}

}  // namespace edge_read_detail

// How a read starts (see the top of this file).
enum class ReadStart {
    after_event,  // nothing was read since this side's last write: wait for the next event
    try_first,    // a message has started to arrive: recv at once, a queued FIN may follow it
};

// Reads at least one byte into `buffer` (which must not be empty), like socket.async_read_some,
// completing with (error_code, bytes). After a read that came back short, a ReadStart::after_event
// read waits for the socket's next readiness event instead of trying a recv first. See the top of
// this file.
template <typename CompletionToken>
auto async_read_edge(boost::asio::ip::tcp::socket& socket, boost::asio::mutable_buffer buffer,
                     ReadStart start, CompletionToken&& token) {
    return boost::asio::async_initiate<CompletionToken,
                                       void(boost::system::error_code, std::size_t)>(
        [](auto handler, boost::asio::ip::tcp::socket* s, boost::asio::mutable_buffer b,
           ReadStart how) {
            edge_read_detail::start_edge_read<false>(*s, b, how == ReadStart::try_first,
                                                     std::move(handler));
        },
        token, &socket, buffer, start);
}

// Completes (with an error_code) when the socket may have bytes to read: at once if an event
// came since its last short read, else at its next event. Costs no syscall, and holds no buffer
// while it waits. The read that follows may still find nothing now and then (the event may have
// been a close, or bytes an earlier read already took); it then waits as async_read_edge does.
// The operation is allocated at its own size, whatever allocator the handler names: a wait is
// meant to last.
template <typename CompletionToken>
auto async_wait_edge(boost::asio::ip::tcp::socket& socket, CompletionToken&& token) {
    return boost::asio::async_initiate<CompletionToken, void(boost::system::error_code)>(
        [](auto handler, boost::asio::ip::tcp::socket* s) {
            edge_read_detail::start_edge_read<true>(
                *s, boost::asio::mutable_buffer(), false,
                boost::asio::bind_allocator(edge_read_detail::ExactAllocator<void>(),
                                            std::move(handler)));
        },
        token, &socket);
}

}  // namespace ringlb::net
