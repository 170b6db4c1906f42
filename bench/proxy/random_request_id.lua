-- wrk script: every request carries a random 6-digit X-Request-Id, the assignment's request model,
-- so each proxy hashes a fresh key per request.
local thread_counter = 0

function setup(thread)
    thread_counter = thread_counter + 1
    thread:set("seed", thread_counter)
end

function init(args)
    math.randomseed(os.time() * 1000 + seed)
end

function request()
    return wrk.format("GET", "/home", { ["X-Request-Id"] = tostring(math.random(100000, 999999)) })
end
