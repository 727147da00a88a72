-- wrk: an officer's authenticated read, GET <the path given to wrk> with the bearer token BENCH_TOKEN
-- (the officer's queue, the statistics). Anything but 200 counts as an error; if most requests fail (or none
-- succeeds), wrk exits with status 1.
local token = os.getenv("BENCH_TOKEN")
assert(token and #token > 0, "BENCH_TOKEN is not set")

local expected = 200
local threads = {}

function setup(thread)
  thread:set("id", #threads + 1)
  threads[#threads + 1] = thread
end

function init(args)
  good, bad, sample = 0, 0, nil
end

function request()
  return wrk.format("GET", nil, { ["Authorization"] = "Bearer " .. token })
end

function response(status, headers, body)
  if status == expected then
    good = good + 1
  else
    bad = bad + 1
    if sample == nil then sample = status .. " " .. string.sub(body or "", 1, 300) end
  end
end

function done(summary, latency, requests)
  local good_all, bad_all, sample_all = 0, 0, nil
  for _, thread in ipairs(threads) do
    good_all = good_all + (thread:get("good") or 0)
    bad_all = bad_all + (thread:get("bad") or 0)
    sample_all = sample_all or thread:get("sample")
  end
  local e = summary.errors
  io.write(string.format("BENCH_RESULT requests=%d duration_us=%d p50_us=%d p99_us=%d errors=%d expected=%d unexpected=%d\n",
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(99),
    e.connect + e.read + e.write + e.timeout + bad_all, good_all, bad_all))
  if sample_all then io.write("BENCH_FIRST_UNEXPECTED " .. sample_all:gsub("\n", " ") .. "\n") end
  if good_all == 0 or bad_all + e.connect + e.read + e.write + e.timeout > good_all then
    io.stderr:write(string.format("\n*** MOST REQUESTS FAILED: %d answered %d, %d did not (first: %s) ***\n\n",
      good_all, expected, bad_all + e.connect + e.read + e.write + e.timeout, sample_all or "socket errors"))
    os.exit(1)
  end
end
