-- wrk: what every bench/onestop script counts, loaded by each with dofile. tally(expected) defines setup, init,
-- response and done: anything but the expected status is an error (the first one's status and body are kept);
-- done prints the BENCH_RESULT line onestop.sh reads, and makes wrk exit with status 1 if most requests failed
-- (or none succeeded). A script that needs more in init passes it as `on_init`.
local threads = {}

function tally(expected, on_init)
  function setup(thread)
    thread:set("id", #threads + 1)
    threads[#threads + 1] = thread
  end

  function init(args)
    if on_init then on_init(args) end
    good, bad, sample = 0, 0, nil
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
end
