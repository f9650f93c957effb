"""The run's timeline: the threads started, gunicorn SIGKILLed and restarted at
spread-out moments while a write is in flight, then the writes in flight drained."""

import random
import signal
import threading
import time

from .common import DRAIN_SECONDS, MIN_UP, REQUEST_TIMEOUT, now


def kill_schedule(seconds, kills, rng):
    """Spread-out moments, each jittered within its share of the run."""
    if kills <= 0:
        return []
    spacing = seconds / (kills + 1)
    return [spacing * (i + 1) + rng.uniform(-0.3, 0.3) * spacing for i in range(kills)]


def run_traffic(args, server, run, log):
    tally = run.tally
    threads = [
        threading.Thread(target=run.writer, args=(n,), name=f"writer-{n}", daemon=True)
        for n in range(args.writers)
    ] + [
        threading.Thread(target=run.reader, args=(n,), name=f"reader-{n}", daemon=True)
        for n in range(args.readers)
    ]
    rng = random.Random(args.seed)
    started = now()
    for thread in threads:
        thread.start()
    restarts = []
    try:
        for at in kill_schedule(args.seconds, args.kills, rng):
            time.sleep(max(0.0, started + at - now()))
            # After a restart give the server a moment up, then kill it mid-write.
            if restarts:
                time.sleep(max(0.0, tally.kill_windows[-1][1] + MIN_UP - now()))
            waited = now() + 3
            while tally.inflight_writes == 0 and now() < waited:
                time.sleep(0.01)
            with tally.lock:
                killed_at = now()
                tally.current_kill = killed_at
                inflight = tally.inflight_writes
            server.kill(signal.SIGKILL)
            gone_at = now()
            server.start()
            if not server.wait_ready():
                raise RuntimeError(f"gunicorn did not answer again after kill {len(restarts) + 1}")
            ready_at = now()
            with tally.lock:
                tally.kill_windows.append((killed_at, ready_at))
                tally.current_kill = None
            restarts.append(
                {
                    "at_s": round(killed_at - started, 1),
                    "writes_in_flight": inflight,
                    "down_s": round(ready_at - killed_at, 2),
                    "gone_s": round(gone_at - killed_at, 2),  # the old group reaped
                }
            )
            log(
                f"  kill {len(restarts)} at {killed_at - started:5.1f} s, "
                f"{inflight} writes on the wire, old processes gone after "
                f"{gone_at - killed_at:.1f} s, answering again after {ready_at - killed_at:.1f} s"
            )
        last_ready = tally.kill_windows[-1][1] if tally.kill_windows else started
        time.sleep(max(0.0, started + args.seconds - now(), last_ready + MIN_UP - now()))
    except BaseException:  # Ctrl+C or a failed restart: no drain, the caller cleans up
        run.stop_new.set()
        run.hard_stop.set()
        raise
    traffic_ended = now()
    run.stop_new.set()
    drain_until = now() + DRAIN_SECONDS
    for thread in threads:
        thread.join(timeout=max(0.1, drain_until - now()))
    run.hard_stop.set()
    for thread in threads:
        thread.join(timeout=REQUEST_TIMEOUT + 5)
    still_running = [t.name for t in threads if t.is_alive()]
    return restarts, traffic_ended - started, now() - started, still_running
