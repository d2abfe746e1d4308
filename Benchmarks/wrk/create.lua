-- wrk script for the write benchmark (issue 16): POSTs one session chart after another for the
-- patients listed in $BENCH_PATIENTS (one id a line), in turn. Each wrk thread writes the ids of
-- the charts it created (from the Location header) to $BENCH_IDS.<thread>, so the sign phase can
-- sign exactly those. wrk rather than a Python generator: the load generator shares the 2 cores.
local threads = {}

function setup(thread)
    threads[#threads + 1] = thread
    thread:set("number", #threads)
end

function init(args)
    patients = {}
    for line in io.lines(os.getenv("BENCH_PATIENTS")) do
        if #line > 0 then patients[#patients + 1] = line end
    end
    local f = assert(io.open(os.getenv("BENCH_BODY"), "rb"))
    body = f:read("*a")
    f:close()
    ids = assert(io.open(os.getenv("BENCH_IDS") .. "." .. number, "w"))
    headers = {["Authorization"] = "Bearer " .. os.getenv("BENCH_TOKEN"), ["Content-Type"] = "application/json"}
    counter = number
end

function request()
    counter = counter + 1
    return wrk.format("POST", "/api/v1/patients/" .. patients[(counter % #patients) + 1] .. "/sessions", headers, body)
end

succeeded, failed = 0, 0

function response(status, headers, body)
    if status ~= 201 then
        failed = failed + 1
    else
        succeeded = succeeded + 1
        local location = headers["Location"] or headers["location"] or ""
        ids:write(location:match("([^/]+)$"), "\n")
        ids:flush()
    end
end

-- One line the benchmark reads: how many created and how many refused, over every thread.
function done(summary, latency, requests)
    local ok, refused = 0, 0
    for _, thread in ipairs(threads) do
        ok = ok + thread:get("succeeded")
        refused = refused + thread:get("failed")
    end
    io.write(string.format("bench: succeeded %d failed %d\n", ok, refused))
end
