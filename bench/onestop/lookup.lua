-- wrk: public lookups. GET /api/v1/public/dossiers/{code} with codes drawn at random from
-- BENCH_CODES_FILE (sample codes written by `egov bench-data --codes`).
local codes = {}
for line in io.lines(os.getenv("BENCH_CODES_FILE")) do
  if #line > 0 then codes[#codes + 1] = line end
end
assert(#codes > 0, "no codes")

request = function()
  return wrk.format("GET", "/api/v1/public/dossiers/" .. codes[math.random(#codes)])
end

done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format("BENCH_RESULT requests=%d duration_us=%d p50_us=%d p99_us=%d errors=%d status=%d\n",
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(99),
    e.connect + e.read + e.write + e.timeout + e.status, e.status))
end
