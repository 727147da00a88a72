-- wrk: online submissions, POST /api/v1/dossiers with the JSON body in BENCH_BODY_FILE (a small PDF
-- attachment in base64) and the applicant's bearer token in BENCH_TOKEN.
-- Anything but 201 counts as an error; if most requests fail (or none succeeds), wrk exits with status 1.
local body_file, token = os.getenv("BENCH_BODY_FILE"), os.getenv("BENCH_TOKEN")
assert(body_file, "BENCH_BODY_FILE is not set")
assert(token, "BENCH_TOKEN is not set")
local f = assert(io.open(body_file, "rb"))
wrk.body = f:read("*a")
f:close()
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Authorization"] = "Bearer " .. token

dofile((debug.getinfo(1, "S").source:match("^@(.*/)") or "./") .. "tally.lua")
tally(201)
