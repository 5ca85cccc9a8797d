#include "domain/sla/clock.h"

#include <algorithm>
#include <charconv>
#include <cmath>

namespace tandem::sla {

using namespace std::chrono_literals;
using std::chrono::milliseconds;

std::string_view to_string(Metric m) {
  switch (m) {
    case Metric::first_response: return "first_response";
    case Metric::next_update: return "next_update";
    case Metric::resolution: return "resolution";
  }
  return "";
}

std::optional<Metric> parse_metric(std::string_view text) {
  for (auto m : kMetrics)
    if (to_string(m) == text) return m;
  return std::nullopt;
}

std::string_view to_string(TargetState s) {
  switch (s) {
    case TargetState::ok: return "ok";
    case TargetState::warning: return "warning";
    case TargetState::breached: return "breached";
    case TargetState::met: return "met";
  }
  return "";
}

void append_history(std::string& history, const ClockEvent& e) {
  static constexpr char kLetters[] = {'o', 's', 'u', 't', 'x'};
  history += std::to_string(e.at.time_since_epoch().count());
  history += ' ';
  history += kLetters[std::size_t(e.kind)];
  if (e.kind == ClockEventKind::status) {
    history += ' ';
    history += e.status;
    history += e.done ? " 1" : " 0";
  } else if (e.kind == ClockEventKind::extended) {
    history += ' ';
    history += to_string(e.metric);
    history += ' ';
    history += std::to_string(e.minutes.count());
  }
  history += '\n';
}

std::vector<ClockEvent> decode_history(std::string_view history) {
  std::vector<ClockEvent> out;
  while (!history.empty()) {
    auto end = history.find('\n');
    auto line = history.substr(0, end);
    history = end == std::string_view::npos ? std::string_view() : history.substr(end + 1);
    std::int64_t ms = 0;
    auto [rest, ec] = std::from_chars(line.data(), line.data() + line.size(), ms);
    std::string_view tail(rest, std::size_t(line.data() + line.size() - rest));
    if (ec != std::errc() || tail.size() < 2 || tail[0] != ' ') continue;
    ClockEvent e{Time(milliseconds(ms))};
    switch (tail[1]) {
      case 'o': e.kind = ClockEventKind::opened; break;
      case 's': e.kind = ClockEventKind::staff_reply; break;
      case 'u': e.kind = ClockEventKind::user_reply; break;
      case 't': {
        auto status = tail.substr(std::min<std::size_t>(3, tail.size()));
        if (status.size() < 3 || status[status.size() - 2] != ' ') continue;
        e.kind = ClockEventKind::status;
        e.done = status.back() == '1';
        e.status = std::string(status.substr(0, status.size() - 2));
        break;
      }
      case 'x': {
        auto rest = tail.substr(std::min<std::size_t>(3, tail.size()));
        auto space = rest.find(' ');
        if (space == std::string_view::npos) continue;
        auto metric = parse_metric(rest.substr(0, space));
        std::int64_t minutes = 0;
        auto number = rest.substr(space + 1);
        auto [end, bad] = std::from_chars(number.data(), number.data() + number.size(), minutes);
        if (!metric || bad != std::errc() || end != number.data() + number.size()) continue;
        e.kind = ClockEventKind::extended;
        e.metric = *metric;
        e.minutes = std::chrono::minutes(minutes);
        break;
      }
      default: continue;
    }
    out.push_back(std::move(e));
  }
  return out;
}

namespace {

// One target's clock while the history is read. Working time is counted piece by piece: a
// piece runs from when the clock may count (started, not stopped, not paused) until it may not.
class Counter {
 public:
  Counter(const Calendar& calendar, milliseconds target, double warn_at)
      : calendar_(calendar), agreed_(target), target_(target), warning_(warning_of(target, warn_at)), warn_at_(warn_at) {}

  static milliseconds warning_of(milliseconds target, double warn_at) {
    auto share = static_cast<std::int64_t>(std::ceil(double(target.count()) * std::clamp(warn_at, 0.0, 1.0)));
    return std::max(milliseconds(share), 1ms);
  }

  // DESK-9: more time for this ticket, granted at `at`. A crossing the new target undoes is undone.
  void extend(Time at, milliseconds more) {
    bool counting = piece_from_.has_value();
    if (counting) close_piece(at);
    target_ += more;
    warning_ = warning_of(target_, warn_at_);
    if (due_ && elapsed_ <= target_) due_.reset();
    if (warned_ && elapsed_ < warning_) warned_ = false;
    if (counting) piece_from_ = at;
  }

  // Starts the clock, or a new cycle of it once the last one stopped.
  void start(Time at) {
    if (started_ && !stopped_) return;
    if (started_ && elapsed_ > target_) ++breached_cycles_;
    ++cycle_;
    target_ = agreed_;  // an extension holds for its cycle only
    warning_ = warning_of(target_, warn_at_);
    started_ = true;
    stopped_ = warned_ = false;
    started_at_ = at;
    piece_from_.reset();
    pause_from_.reset();
    due_.reset();
    elapsed_ = 0ms;
    pauses_.clear();
  }
  void stop(Time at) {
    if (!started_ || stopped_) return;
    settle(at, false);
    stopped_ = true;
    stopped_at_ = at;
  }
  void resume() {
    if (stopped_) stopped_ = false;
  }
  // Opens or closes the piece and the pause after the ticket's state changed at `at`.
  void settle(Time at, bool paused) {
    bool live = started_ && !stopped_;
    bool counting = live && !paused;
    if (piece_from_ && !counting) close_piece(at);
    else if (!piece_from_ && counting) piece_from_ = at;
    bool waiting = live && paused;
    if (pause_from_ && !waiting) {
      pauses_.push_back({*pause_from_, at});
      pause_from_.reset();
    } else if (!pause_from_ && waiting) {
      pause_from_ = at;
    }
  }

  TargetClock read(Metric metric, Time now, std::optional<Time>& next_crossing) {
    TargetClock out;
    out.metric = metric;
    out.target = std::chrono::duration_cast<std::chrono::minutes>(target_);
    out.cycle = cycle_;
    out.breached_cycles = breached_cycles_;
    if (!started_) return out;
    out.started_at = started_at_;
    out.pauses = pauses_;
    if (pause_from_) out.pauses.push_back({*pause_from_, now});
    out.paused = pause_from_.has_value();
    if (stopped_) out.stopped_at = stopped_at_;
    if (piece_from_) {
      auto from = *piece_from_;
      auto before = elapsed_;
      close_piece(now);
      if (!warned_) next_crossing = earliest(next_crossing, calendar_.add(from, warning_ - before));
      if (!due_) {
        due_ = calendar_.add(from, target_ - before);
        next_crossing = earliest(next_crossing, *due_ + 1ms);
      }
    } else if (stopped_ && !due_) {
      due_ = calendar_.add(stopped_at_, target_ - elapsed_);  // the promise that stood at the stop
    }
    out.due = due_;
    if (warned_) out.warning_at = warning_at_;
    out.elapsed = elapsed_;
    if (elapsed_ > target_) out.state = TargetState::breached;
    else if (stopped_) out.state = TargetState::met;
    else if (elapsed_ >= warning_) out.state = TargetState::warning;
    return out;
  }

 private:
  static Time earliest(std::optional<Time> a, Time b) { return a ? std::min(*a, b) : b; }

  // Counts [piece_from, to) and notes the thresholds crossed inside it.
  void close_piece(Time to) {
    auto from = *piece_from_;
    piece_from_.reset();
    auto piece = calendar_.between(from, to);
    if (!warned_ && elapsed_ + piece >= warning_) {
      warned_ = true;
      warning_at_ = calendar_.add(from, warning_ - elapsed_);
    }
    if (!due_ && elapsed_ + piece > target_) due_ = calendar_.add(from, target_ - elapsed_);
    elapsed_ += piece;
  }

  const Calendar& calendar_;
  milliseconds agreed_, target_, warning_;
  double warn_at_;
  int cycle_ = 0, breached_cycles_ = 0;
  bool started_ = false, stopped_ = false, warned_ = false;
  Time started_at_{}, stopped_at_{}, warning_at_{};
  std::optional<Time> piece_from_, pause_from_, due_;
  milliseconds elapsed_{0};
  std::vector<Span> pauses_;
};

}  // namespace

ClockReading read_clock(const ClockTerms& terms, const Calendar& calendar, std::span<const ClockEvent> events, Time now) {
  std::array<std::optional<Counter>, 3> counters;
  for (auto m : kMetrics) {
    const auto& target = terms.targets[std::size_t(m)];
    if (!target) continue;
    counters[std::size_t(m)].emplace(calendar, milliseconds(*target), terms.warn_at);
  }
  auto each = [&](auto&& fn) {
    for (auto& c : counters)
      if (c) fn(*c);
  };
  auto with = [&](Metric m, auto&& fn) {
    if (auto& c = counters[std::size_t(m)]) fn(*c);
  };
  bool paused = false, done = false;
  for (const auto& e : events) {
    if (e.at > now) break;
    switch (e.kind) {
      case ClockEventKind::opened:
        with(Metric::first_response, [&](Counter& c) { c.start(e.at); });
        with(Metric::resolution, [&](Counter& c) { c.start(e.at); });
        break;
      case ClockEventKind::staff_reply:
        with(Metric::first_response, [&](Counter& c) { c.stop(e.at); });
        with(Metric::next_update, [&](Counter& c) { c.stop(e.at); });
        break;
      case ClockEventKind::user_reply:
        if (!done) with(Metric::next_update, [&](Counter& c) { c.start(e.at); });
        break;
      case ClockEventKind::status:
        paused = std::find(terms.pause_statuses.begin(), terms.pause_statuses.end(), e.status) != terms.pause_statuses.end();
        if (e.done) each([&](Counter& c) { c.stop(e.at); });
        else if (done) with(Metric::resolution, [&](Counter& c) { c.resume(); });  // reopened
        done = e.done;
        break;
      case ClockEventKind::extended:
        with(e.metric, [&](Counter& c) { c.extend(e.at, e.minutes); });
        break;
    }
    each([&](Counter& c) { c.settle(e.at, paused); });
  }
  ClockReading reading;
  for (auto m : kMetrics)
    if (auto& c = counters[std::size_t(m)]) reading.targets.push_back(c->read(m, now, reading.next_crossing));
  return reading;
}

}  // namespace tandem::sla
