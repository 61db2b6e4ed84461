// Runs work items on N threads and hands results to a consumer in input order, with at most
// `window` items in flight, so memory stays bounded and output bytes do not depend on N.
#pragma once

#include <condition_variable>
#include <deque>
#include <functional>
#include <map>
#include <mutex>
#include <optional>
#include <thread>
#include <vector>

namespace dyad::pipeline {

template <typename In, typename Out>
void OrderedParallel(int threads, std::function<std::optional<In>()> produce,
                     std::function<Out(In&)> work, std::function<void(Out&)> consume,
                     size_t window = 0) {
  if (threads <= 1) {
    while (auto in = produce()) {
      Out out = work(*in);
      consume(out);
    }
    return;
  }
  if (window == 0) window = static_cast<size_t>(threads) * 8;
  std::mutex mu;
  std::condition_variable cv_work, cv_done, cv_space;
  std::deque<std::pair<size_t, In>> queue;
  std::map<size_t, Out> done;
  bool finished_producing = false;
  size_t next_out = 0, produced = 0;

  std::vector<std::thread> pool;
  for (int t = 0; t < threads; ++t) {
    pool.emplace_back([&] {
      while (true) {
        std::pair<size_t, In> item;
        {
          std::unique_lock lock(mu);
          cv_work.wait(lock, [&] { return !queue.empty() || finished_producing; });
          if (queue.empty()) return;
          item = std::move(queue.front());
          queue.pop_front();
        }
        Out out = work(item.second);
        {
          std::lock_guard lock(mu);
          done.emplace(item.first, std::move(out));
        }
        cv_done.notify_one();
      }
    });
  }
  auto drain = [&](std::unique_lock<std::mutex>& lock) {
    while (true) {
      auto it = done.find(next_out);
      if (it == done.end()) return;
      Out out = std::move(it->second);
      done.erase(it);
      ++next_out;
      lock.unlock();
      consume(out);
      lock.lock();
    }
  };
  while (true) {
    auto in = produce();
    std::unique_lock lock(mu);
    if (!in) {
      finished_producing = true;
      cv_work.notify_all();
      break;
    }
    queue.emplace_back(produced++, std::move(*in));
    cv_work.notify_one();
    // Bounded: wait until the oldest result is consumed before reading further.
    while (produced - next_out >= window) {
      drain(lock);
      if (produced - next_out < window) break;
      cv_done.wait(lock);
    }
    drain(lock);
  }
  {
    std::unique_lock lock(mu);
    while (next_out < produced) {
      drain(lock);
      if (next_out < produced) cv_done.wait(lock);
    }
  }
  for (auto& th : pool) th.join();
}

}  // namespace dyad::pipeline
