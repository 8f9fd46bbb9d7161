-- wrk script: POST one single-line bounce to the diagnose endpoint
-- (BENCH_CHECKS: none, the default, or auto for the live SPF check).
wrk.method = "POST"
wrk.path = "/api/v1/diagnose?checks=" .. (os.getenv("BENCH_CHECKS") or "none")
wrk.headers["Content-Type"] = "application/json"
wrk.body = '{"text":"550 5.7.1 192.0.2.7 is not allowed to send mail from example.com"}'

done = function(summary, latency, requests)
  io.write(string.format("requests: %d\nerrors: %d\nrps: %.0f\n",
    summary.requests,
    summary.errors.connect + summary.errors.read + summary.errors.write +
      summary.errors.status + summary.errors.timeout,
    summary.requests / (summary.duration / 1e6)))
  for _, p in ipairs({ 50, 90, 99, 99.9 }) do
    io.write(string.format("p%s_ms: %.3f\n", p, latency:percentile(p) / 1000))
  end
end
