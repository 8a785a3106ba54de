-- wrk script for scripts/bench/pages.py: signed-in requests, a fresh client id per POST, JSON at the end.
--
--   wrk -t1 -c4 -d10s -s wrk.lua URL -- METHOD BODY COOKIE TOKEN [COOKIE TOKEN ...]
--
-- BODY is "-" for a GET, or the form body with {TOKEN} and {CLIENT_ID} in it. Each request takes
-- the next (COOKIE, TOKEN) pair, so a POST spreads its rows over several people.
--
-- wrk counts answers of 400 and above as errors; the caller checks the bytes per answer too, which
-- a redirect to the sign-in page would give away. A Lua response() callback could check each
-- status, but it copies every body into Lua and halves wrk's rate: the bare page would measure wrk.

local threads = 0
local counter = 0

function setup(thread)
  threads = threads + 1
  thread:set("id", threads)
end

function init(args)
  method = args[1]
  body = args[2]
  identities = {}
  for i = 3, #args - 1, 2 do
    -- "%" is special in a gsub replacement: doubled, it stands for itself.
    table.insert(identities, {cookie = args[i], token = (args[i + 1]:gsub("%%", "%%%%"))})
  end
  math.randomseed(os.time() * 1000 + (id or 0))
  prefix = string.format("%08x-%04x", math.random(0, 0x7fffffff), math.random(0, 0xffff))
end

local function client_id()
  counter = counter + 1
  return string.format("%s-4%03x-8%03x-%012x", prefix, math.random(0, 0xfff), math.random(0, 0xfff), counter)
end

function request()
  local who = identities[(counter % #identities) + 1]
  local headers = {["Cookie"] = who.cookie}
  if body == "-" then
    counter = counter + 1
    return wrk.format(method, nil, headers, nil)
  end
  headers["Content-Type"] = "application/x-www-form-urlencoded"
  local filled = body:gsub("{TOKEN}", who.token):gsub("{CLIENT_ID}", client_id())
  return wrk.format(method, nil, headers, filled)
end

function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    'BENCH_JSON {"requests": %d, "duration_us": %d, "bytes": %d, "p50_us": %d, "p95_us": %d, "p99_us": %d, ' ..
    '"mean_us": %.1f, "max_us": %d, "connect_errors": %d, "read_errors": %d, ' ..
    '"write_errors": %d, "status_errors": %d, "timeouts": %d}\n',
    summary.requests, summary.duration, summary.bytes, latency:percentile(50), latency:percentile(95),
    latency:percentile(99), latency.mean, latency.max, e.connect, e.read, e.write, e.status, e.timeout))
end
