-- wrk: online submissions. POST /api/v1/dossiers with a small PDF attachment; the body and the
-- bearer token come from the environment (BENCH_BODY_FILE, BENCH_TOKEN). Anything but 201 is an error.
local body_file = os.getenv("BENCH_BODY_FILE")
local token = os.getenv("BENCH_TOKEN")
local f = assert(io.open(body_file, "rb"))
local body = f:read("*a")
f:close()

wrk.method = "POST"
wrk.body = body
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Authorization"] = "Bearer " .. token

local created, other = 0, 0
function response(status, headers, response_body)
  if status == 201 then created = created + 1 else other = other + 1 end
end

done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format("BENCH_RESULT requests=%d duration_us=%d p50_us=%d p99_us=%d errors=%d status=%d\n",
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(99),
    e.connect + e.read + e.write + e.timeout + e.status, e.status))
end
