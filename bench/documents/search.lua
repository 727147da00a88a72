-- A leader's document search: GET /api/v1/documents?q=…&limit=20 with a query drawn at random from
-- bench/documents/queries.txt for every request; anything but 200 is an error.
local token = os.getenv("BENCH_TOKEN")
local queries = {}
for line in io.lines(os.getenv("BENCH_QUERIES")) do
    if line ~= "" then queries[#queries + 1] = line:gsub(" ", "+") end
end

function setup(thread)
    thread:set("seed", math.random(1, 1000000))
end

function init(args)
    math.randomseed(seed)
end

request = function()
    local q = queries[math.random(1, #queries)]
    return wrk.format("GET", "/api/v1/documents?limit=20&q=" .. q, { ["Authorization"] = "Bearer " .. token })
end

response = function(status, headers, body)
    if status ~= 200 then
        wrk.thread:stop()
    end
end
