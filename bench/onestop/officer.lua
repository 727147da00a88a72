-- wrk: an officer's authenticated read, GET <the path given to wrk> with the bearer token BENCH_TOKEN
-- (the officer's queue, the statistics). Anything but 200 counts as an error; if most requests fail (or none
-- succeeds), wrk exits with status 1.
dofile((debug.getinfo(1, "S").source:match("^@(.*/)") or "./") .. "tally.lua")
local token = os.getenv("BENCH_TOKEN")
assert(token and #token > 0, "BENCH_TOKEN is not set")

tally(200)

function request()
  return wrk.format("GET", nil, { ["Authorization"] = "Bearer " .. token })
end
