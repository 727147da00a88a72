-- wrk: public lookups, GET /api/v1/public/dossiers/{code}, each with a code drawn at random from
-- BENCH_CODES_FILE (the sample of existing codes written by `egov bench-data --codes`).
-- Anything but 200 counts as an error; if most requests fail (or none succeeds), wrk exits with status 1.
local codes = {}
local codes_file = os.getenv("BENCH_CODES_FILE")
assert(codes_file, "BENCH_CODES_FILE is not set")
for line in io.lines(codes_file) do
  if #line > 0 then codes[#codes + 1] = line end
end
assert(#codes > 0, "no codes in BENCH_CODES_FILE")

dofile((debug.getinfo(1, "S").source:match("^@(.*/)") or "./") .. "tally.lua")
tally(200, function(args) math.randomseed(os.time() * 100 + id) end)

function request()
  return wrk.format("GET", "/api/v1/public/dossiers/" .. codes[math.random(#codes)])
end
