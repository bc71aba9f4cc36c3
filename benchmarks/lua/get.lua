-- GET throughput for wrk: cycle through the paths in BENCH_PATHS (one per line), optionally
-- with the cookie in BENCH_COOKIE (a signed-in session) and the User-Agent it signed in with
-- (BENCH_UA: strong session protection); counts 200s and everything else.
local threads = {}
local counter = 0

function setup(thread)
  thread:set("id", counter)
  table.insert(threads, thread)
  counter = counter + 1
end

function init(args)
  paths = {}
  for line in io.lines(os.getenv("BENCH_PATHS")) do table.insert(paths, line) end
  index = id
  cookie = os.getenv("BENCH_COOKIE") or ""
  agent = os.getenv("BENCH_UA") or ""
  ok = 0
  failed = 0
  bytes = 0
end

function request()
  index = index % #paths + 1
  local headers = {}
  if cookie ~= "" then headers["Cookie"] = cookie end
  if agent ~= "" then headers["User-Agent"] = agent end
  return wrk.format("GET", paths[index], headers)
end

function response(status, headers, body)
  if status == 200 then
    ok = ok + 1
    bytes = bytes + #body
  else
    failed = failed + 1
    if failed == 1 then io.stderr:write("first failed GET: HTTP " .. status .. "\n") end
  end
end

function done(summary, latency, requests)
  local o, f, b = 0, 0, 0
  for _, t in ipairs(threads) do
    o = o + t:get("ok")
    f = f + t:get("failed")
    b = b + t:get("bytes")
  end
  io.write(string.format("BENCH completed=%d failed=%d exhausted=0 duration_us=%d requests=%d p50_us=%d bytes=%d\n",
    o, f, summary.duration, summary.requests, latency:percentile(50), b))
end
