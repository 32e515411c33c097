#!/usr/bin/env python3
# The measuring part of bench/run (which installs the tools, starts the lab
# and the latency proxies, and runs this inside a mount namespace whose
# /etc/resolv.conf points at the resolver proxy).  Runs our plugins and the
# reference tools on the same lab scenarios, alternating, N times each, and
# writes bench/RESULTS.md.
#
# Copyright the mailpath-plugins authors.  GPL-3.0-or-later.

import argparse
import datetime
import json
import os
import platform
import select
import signal
import socket
import statistics
import time

NP = "/usr/lib/nagios/plugins"
RESOLVER = "127.0.28.53"  # the resolver, behind the delay proxy
CONTROL = ("127.0.28.254", 5399)
ZONES60 = ["l%02d.dnsbl.test" % i for i in range(1, 61)]


def control(cmd):
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.settimeout(2)
    try:
        s.sendto(cmd.encode(), CONTROL)
        return s.recv(1 << 16).decode()
    finally:
        s.close()


class Runner:
    """Runs a command under bench/rusage (wall time, CPU, peak RSS)."""

    def __init__(self, rusage, tmpdir):
        self.rusage = rusage
        self.result = os.path.join(tmpdir, "rusage.out")

    def run(self, argv, timeout=120):
        argv = [self.rusage, self.result] + argv
        if os.path.exists(self.result):
            os.unlink(self.result)
        control("reset")
        t0 = time.perf_counter()
        r, w = os.pipe()
        pid = os.fork()
        if pid == 0:
            os.close(r)
            os.dup2(w, 1)
            os.dup2(w, 2)
            os.dup2(os.open(os.devnull, os.O_RDONLY), 0)
            try:
                os.execvp(argv[0], argv)
            finally:
                os._exit(127)
        os.close(w)
        chunks, size = [], 0
        deadline = t0 + timeout
        while True:
            left = deadline - time.perf_counter()
            if left <= 0:
                os.kill(pid, signal.SIGKILL)
                break
            ready, _, _ = select.select([r], [], [], left)
            if not ready:
                continue
            data = os.read(r, 65536)
            if not data:
                break
            if size < 1 << 20:
                chunks.append(data)
                size += len(data)
        _, status = os.waitpid(pid, 0)
        os.close(r)
        try:
            with open(self.result) as f:
                wall, cpu, rss = f.read().split()
        except (OSError, ValueError):
            wall, cpu, rss = time.perf_counter() - t0, 0, 0
        time.sleep(0.15)  # let delayed answers leave the proxy before reading its counters
        stats = json.loads(control("stats"))
        rc = os.WEXITSTATUS(status) if os.WIFEXITED(status) else 128 + os.WTERMSIG(status)
        out = b"".join(chunks).decode("utf-8", "replace")
        return {
            "wall": float(wall),
            "cpu": float(cpu),
            "rss": int(rss),  # KiB
            "rc": rc,
            "first": out.splitlines()[0] if out.strip() else "",
            "stats": stats,
        }


def scenarios(plugins, ca):
    mp = lambda name: os.path.join(plugins, name)  # noqa: E731
    rbl_args = []
    for z in ZONES60:
        rbl_args += ["-s", z]
    ours_dnsbl = [mp("check_dnsbl_sender"), "-H", "203.0.113.2", "-s", RESOLVER, "-t", "30"]
    for z in ZONES60:
        ours_dnsbl += ["-l", z]
    ours_auth_s = [mp("check_dnsbl_sender"), "-S", "pass.auth.test", "-s", RESOLVER, "-t", "30",
                   "--max-addresses", "8"]
    for z in ZONES60[:10]:
        ours_auth_s += ["-l", z]
    ours_auth_h = [mp("check_dnsbl_sender"), "-H", "203.0.113.200", "-S", "pass.auth.test", "--no-spf",
                   "-s", RESOLVER, "-t", "30"]
    for z in ZONES60[:10]:
        ours_auth_h += ["-l", z]
    return [
        {
            "name": "DNSBL, 60 lists, 203.0.113.2",
            "floor": {"dns": 1},
            "ours": ours_dnsbl,
            "theirs": [
                ("check_rbl", [NP + "/check_rbl", "-H", "203.0.113.2", "-t", "60", "-w", "1", "-c", "2"] + rbl_args),
            ],
        },
        {
            "name": "SMTP plain, accept (127.0.28.1)",
            "floor": {"smtp": 4},
            "ours": [mp("check_smtp_relay_path"), "-H", "127.0.28.1", "-R", "user@single.dom.test",
                     "-s", RESOLVER, "--tls", "none"],
            "theirs": [
                ("check_smtp", [NP + "/check_smtp", "-H", "127.0.28.1"]),
                ("check_smtp -C RCPT", [NP + "/check_smtp", "-H", "127.0.28.1", "-f", "bench@lab.test",
                                        "-C", "RCPT TO:<user@single.dom.test>", "-R", "250"]),
                ("swaks", ["swaks", "--server", "127.0.28.1", "--from", "bench@lab.test",
                           "--to", "user@single.dom.test", "--quit-after", "RCPT", "--pipeline"]),
            ],
        },
        {
            "name": "SMTP STARTTLS, verified (127.0.28.5)",
            "floor": {"smtp": 7, "dns": 1},
            "ours": [mp("check_smtp_relay_path"), "-H", "bench-tls.hosts.test", "-R", "user@single.dom.test",
                     "-s", RESOLVER, "--tls", "verify", "--cafile", ca],
            "theirs": [
                ("check_smtp -S", [NP + "/check_smtp", "-H", "127.0.28.5", "-S"]),
                ("swaks -tls", ["swaks", "--server", "127.0.28.5", "--from", "bench@lab.test",
                                "--to", "user@single.dom.test", "--quit-after", "RCPT", "--pipeline",
                                "-tls", "--tls-verify", "--tls-ca-path", ca]),
            ],
        },
        {
            "name": "SMTP MX walk, bench.dom.test (resolver and MX behind the proxy)",
            "floor": {"smtp": 4, "dns": 2},
            "ours": [mp("check_smtp_relay_path"), "-D", "bench.dom.test", "-s", RESOLVER, "--tls", "none"],
            "theirs": [
                ("swaks (MX lookup)", ["swaks", "--from", "bench@lab.test", "--to", "postmaster@bench.dom.test",
                                       "--quit-after", "RCPT", "--pipeline"]),
            ],
        },
        # --auth against the same run without it: the domain's SPF, DMARC and DKIM lookups ride
        # in the first round, the PTR lookups with the list queries; the PTR names' A lookups
        # are the one round the data adds (PTR, then A).
        {
            "name": "DNSBL -H 203.0.113.200 -S pass.auth.test --no-spf, 10 lists",
            "floor": {"dns": 1},
            "ours": ours_auth_h,
            "theirs": [],
        },
        {
            "name": "the same with --auth --dkim-selector s2048",
            "floor": {"dns": 2},
            "ours": ours_auth_h + ["--auth", "--dkim-selector", "s2048"],
            "theirs": [],
        },
        {
            "name": "DNSBL -S pass.auth.test (SPF discovery), 10 lists",
            "floor": {"dns": 2},
            "ours": ours_auth_s,
            "theirs": [],
        },
        {
            "name": "the same with --auth --dkim-selector s2048",
            "floor": {"dns": 3},
            "ours": ours_auth_s + ["--auth", "--dkim-selector", "s2048"],
            "theirs": [],
        },
        {
            "name": "MX, many.dom.test (10 MX)",
            "floor": {"dns": 2},
            "ours": [mp("check_mx_preference"), "-D", "many.dom.test", "-s", RESOLVER],
            "theirs": [
                ("check_dig -T MX", [NP + "/check_dig", "-H", RESOLVER, "-l", "many.dom.test", "-T", "MX"]),
            ],
        },
        {
            # The TXT records and the policy host's address ride in the MX
            # round; the fetch (TCP 1, TLS 1.3 1, GET 1; counted in the
            # "SMTP rounds" column, which counts every TCP proxy) overlaps
            # the MX targets' address round: floor 1 DNS + 3 HTTPS.
            # "theirs" is ours without --mta-sts: what the policy costs.
            "name": "MX + MTA-STS, bench.sts.test (resolver and policy host behind the proxy)",
            "floor": {"dns": 1, "https": 3},
            "ours": [mp("check_mx_preference"), "-D", "bench.sts.test", "-s", RESOLVER, "--allow-private",
                     "--mta-sts", "--cafile", ca],
            "theirs": [
                ("check_mx_preference, no --mta-sts", [mp("check_mx_preference"), "-D", "bench.sts.test",
                                                       "-s", RESOLVER, "--allow-private"]),
            ],
        },
        {
            # The _mta-sts TXT and the policy host's address ride in the MX
            # round; the fetch (TCP, TLS 1.3, GET) runs while the MX
            # target's address is asked and the session connects, reads
            # the banner and says EHLO, which then waits for the policy.
            # DESIGN.md section 6: at most one round trip more than
            # --tls verify ("theirs" here) when the policy host is as near
            # as the MX: floor 2 DNS + 7 SMTP + 1.
            "name": "SMTP MX walk + MTA-STS enforce, bench-tls.sts.test (resolver, MX and policy host behind "
                    "the proxy)",
            "floor": {"dns": 2, "smtp": 7, "sts": 1},
            "ours": [mp("check_smtp_relay_path"), "-D", "bench-tls.sts.test", "-s", RESOLVER, "--tls", "sts",
                     "--cafile", ca],
            "theirs": [
                ("check_smtp_relay_path --tls verify", [mp("check_smtp_relay_path"), "-D", "bench-tls.sts.test",
                                                        "-s", RESOLVER, "--tls", "verify", "--cafile", ca]),
            ],
        },
        {
            # --tls auto against the default may where neither DANE nor
            # MTA-STS applies: the _mta-sts and _smtp._tls TXT ride in
            # the MX round, nothing else is asked or loaded.
            "name": "SMTP MX walk --tls auto, bench.dom.test (no DNSSEC, no MTA-STS)",
            "floor": {"dns": 2, "smtp": 4},
            "ours": [mp("check_smtp_relay_path"), "-D", "bench.dom.test", "-s", RESOLVER, "--tls", "auto"],
            "theirs": [
                ("check_smtp_relay_path --tls may", [mp("check_smtp_relay_path"), "-D", "bench.dom.test",
                                                     "-s", RESOLVER, "--tls", "may"]),
            ],
        },
        {
            # ... where an enforce policy applies: the fetch (libcurl,
            # the trust store) overlaps the session as with --tls sts.
            "name": "SMTP MX walk --tls auto, bench-tls.sts.test (MTA-STS enforce)",
            "floor": {"dns": 2, "smtp": 7, "sts": 1},
            "ours": [mp("check_smtp_relay_path"), "-D", "bench-tls.sts.test", "-s", RESOLVER, "--tls", "auto",
                     "--cafile", ca],
            "theirs": [
                ("check_smtp_relay_path --tls may", [mp("check_smtp_relay_path"), "-D", "bench-tls.sts.test",
                                                     "-s", RESOLVER, "--tls", "may", "--cafile", ca]),
            ],
        },
        {
            # ... where DANE applies: mail/dane asks TLSA once the MX
            # hosts' addresses are validated, one resolver round more.
            # Only the resolver is behind the proxy (the MX is
            # 127.0.25.5): floor 2 DNS, the SMTP rounds are not delayed.
            "name": "SMTP MX walk --tls auto, secure.test (DNSSEC, TLSA 3 1 1; resolver behind the proxy)",
            "floor": {"dns": 2},
            "ours": [mp("check_smtp_relay_path"), "-D", "secure.test", "-s", RESOLVER, "--tls", "auto",
                     "--cafile", ca],
            "theirs": [
                ("check_smtp_relay_path --tls may", [mp("check_smtp_relay_path"), "-D", "secure.test",
                                                     "-s", RESOLVER, "--tls", "may", "--cafile", ca]),
            ],
        },
    ]


def rounds_of(stats):
    dns = stats.get("udp:127.0.28.53:53", {}).get("rounds", 0) + stats.get("tcp:127.0.28.53:53", {}).get("rounds", 0)
    smtp = sum(v["rounds"] for k, v in stats.items() if k.startswith("tcp:") and not k.endswith(":53"))
    return dns, smtp


def summarize(results):
    if not results:
        return None
    med = lambda key: statistics.median(r[key] for r in results)  # noqa: E731
    dns = statistics.median(rounds_of(r["stats"])[0] for r in results)
    smtp = statistics.median(rounds_of(r["stats"])[1] for r in results)
    rcs = sorted(set(r["rc"] for r in results))
    return {
        "wall": med("wall"), "cpu": med("cpu"), "rss": med("rss"),
        "dns": dns, "smtp": smtp, "rc": "/".join(map(str, rcs)), "first": results[-1]["first"],
    }


def fmt_ms(s):
    return "%.0f" % (s * 1000) if s >= 0.1 else "%.1f" % (s * 1000)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=7)
    ap.add_argument("--plugins", required=True)
    ap.add_argument("--ca", required=True)
    ap.add_argument("--delay-ms", type=float, default=50)
    ap.add_argument("--out", required=True)
    ap.add_argument("--command", default="bench/run")
    ap.add_argument("--rusage", required=True, help="the compiled bench/rusage.c")
    ap.add_argument("--tmpdir", required=True)
    ap.add_argument("--only", default="", help="only the scenarios whose name contains this text, "
                    "and those that follow them directly with a name starting \"the same\"")
    args = ap.parse_args()

    runner = Runner(args.rusage, args.tmpdir)
    rtt = 2 * args.delay_ms / 1000.0
    rows = []
    picked, last = [], False
    for sc in scenarios(args.plugins, args.ca):
        last = (args.only in sc["name"]) or (last and sc["name"].startswith("the same"))
        if last:
            picked.append(sc)
    for sc in picked:
        ours_ok = os.access(sc["ours"][0], os.X_OK)
        tools = ([("ours", sc["ours"])] if ours_ok else []) + sc["theirs"]
        samples = {name: [] for name, _ in tools}
        print("bench: %s (%s)" % (sc["name"], "ours + theirs" if ours_ok else "ours not built"), flush=True)
        for name, argv in tools:  # warm the resolver cache once
            runner.run(argv)
        for _ in range(args.runs):
            for name, argv in tools:  # alternating
                samples[name].append(runner.run(argv))
        ours = summarize(samples.get("ours", []))
        rows.append((sc, "ours: " + os.path.basename(sc["ours"][0]), ours, None))
        for name, _argv in sc["theirs"]:
            rows.append((sc, name, summarize(samples[name]), ours))

    now = datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    lines = [
        "# Benchmark results",
        "",
        "Generated by `%s` on %s; %d CPU cores (%s, %s); %d runs per tool, alternating, after one "
        "warm-up run; injected latency %g ms each way (one round trip = %g ms) by bench/delay-proxy."
        % (args.command, now, os.cpu_count(), platform.machine(), platform.release(),
           args.runs, args.delay_ms, rtt * 1000),
        "",
        "Medians. CPU = user + system time of the process and its children; RSS = peak resident set. "
        "Rounds = network round trips counted by the proxies (DNS: waves of outstanding queries; "
        "SMTP: connections + reply turns), compared with the floor of DESIGN.md section 6. "
        "\"wall ÷ floor time\" = wall time over (floor round trips x round-trip time); the target for ours "
        "is at most 1.10. Ratio = theirs / ours (above 1: ours is better), computed only when our plugin "
        "reached a verdict (exit 0-2). \"n/a\": our plugin is not built yet.",
        "",
        "| scenario | tool | exit | wall ms | CPU ms | peak RSS KiB | DNS rounds | SMTP rounds | floor | wall ÷ floor time | wall ratio | CPU ratio | RSS ratio |",
        "|---|---|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for sc, name, s, ours in rows:
        floor = ", ".join("%s %d" % (k.upper(), v) for k, v in sc["floor"].items())
        floor_time = sum(sc["floor"].values()) * rtt
        if s is None:
            lines.append("| %s | %s | n/a | n/a | n/a | n/a | n/a | n/a | %s | n/a | | | |" % (sc["name"], name, floor))
            continue
        # Ratios only against a run of ours that reached a verdict (0-2).
        valid = ours is not None and ours["rc"] in ("0", "1", "2")
        if ours is not None and not valid:
            ratios = ["n/a (ours exit %s)" % ours["rc"]] + [""] * 2
        elif valid:
            ratios = ["%.1f" % (s[k] / ours[k]) if ours[k] else "n/a" for k in ("wall", "cpu", "rss")]
        else:
            ratios = [""] * 3
        lines.append(
            "| %s | %s | %s | %s | %s | %d | %g | %g | %s | %.2f | %s | %s | %s |"
            % (sc["name"], name, s["rc"], fmt_ms(s["wall"]), fmt_ms(s["cpu"]), s["rss"], s["dns"], s["smtp"],
               floor, s["wall"] / floor_time, ratios[0], ratios[1], ratios[2])
        )
    lines += [
        "",
        "First output line of each tool (last run):",
        "",
    ]
    for sc, name, s, _ in rows:
        if s is not None:
            lines.append("- %s / %s: `%s`" % (sc["name"], name, s["first"].replace("`", "'")[:200]))
    lines += [
        "",
        "Notes: the TCP proxy cannot delay the client's own handshake; it opens the upstream connection "
        "three one-way delays after accepting, so wall times include the handshake round trip and the "
        "counted SMTP rounds include one per connection (see bench/delay-proxy). check_smtp stops after "
        "EHLO/HELO and QUIT (it never sends MAIL/RCPT); check_dig asks only for the MX records, not the "
        "addresses; check_rbl reads only the first A record and counts error answers as listings; "
        "swaks waits about one second after QUIT before it exits (no network activity then).",
        "",
    ]
    with open(args.out, "w") as f:
        f.write("\n".join(lines))
    print("\n".join(lines[6:6 + 2 + len(rows)]))


if __name__ == "__main__":
    main()
