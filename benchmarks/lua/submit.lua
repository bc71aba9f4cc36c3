-- Complete submissions for wrk, one connection per thread (run with -t N -c N).
-- Product (BENCH_MODE=product): GET /r/<token>/<invitation> for the CSRF token and session
-- cookie, then POST every answer; a 303 redirect counts as one submission.
-- Bare (BENCH_MODE=bare): the same pair on the bare app, GET /bare/form/<invitation> then POST
-- the same body to /bare/submit/<invitation>.
-- BENCH_POOL: lines "invitation<TAB>token<TAB>urlencoded answers"; thread i takes lines i mod N.
local counter = 0
local threads = {}

function setup(thread)
  thread:set("id", counter)
  table.insert(threads, thread)
  counter = counter + 1
end

function init(args)
  local nthreads = tonumber(os.getenv("BENCH_THREADS"))
  local offset = tonumber(os.getenv("BENCH_OFFSET") or "0")
  local limit = tonumber(os.getenv("BENCH_LIMIT") or "0")
  mode = os.getenv("BENCH_MODE")
  lines = {}
  local i = 0
  for line in io.lines(os.getenv("BENCH_POOL")) do
    if i >= offset and (limit == 0 or i < offset + limit) and (i - offset) % nthreads == id then
      table.insert(lines, line)
    end
    i = i + 1
  end
  index = 0
  completed = 0
  failed = 0
  exhausted = 0
  phase = "get"
  form = "application/x-www-form-urlencoded"
end

local function next_line()
  index = index + 1
  local line = lines[index]
  if line == nil then return nil end
  local inv, token, body = line:match("^(%d+)\t([^\t]+)\t(.*)$")
  current = { inv = inv, token = token, body = body }
  return current
end

local function finish()
  exhausted = 1
  wrk.thread:stop()
  return wrk.format("GET", "/")
end

local function form_path(c)
  if mode == "bare" then return "/bare/form/" .. c.inv end
  return "/r/" .. c.token .. "/" .. c.inv
end

local function submit_path(c)
  if mode == "bare" then return "/bare/submit/" .. c.inv end
  return "/r/" .. c.token .. "/" .. c.inv
end

function request()
  if phase == "get" then
    local c = next_line()
    if c == nil then return finish() end
    return wrk.format("GET", form_path(c))
  end
  return wrk.format("POST", submit_path(current),
    { ["Content-Type"] = form, ["Cookie"] = cookie }, "csrf_token=" .. csrf .. "&" .. current.body)
end

function response(status, headers, body)
  if phase == "post" then
    if status == 303 then completed = completed + 1 else failed = failed + 1 end
    if failed == 1 and status ~= 303 then
      io.stderr:write("first failed submission: HTTP " .. status .. "\n")
    end
    phase = "get"
    return
  end
  if status ~= 200 then
    failed = failed + 1
    return
  end
  -- a plain find (memchr-fast) to the field, then the pattern from there: matching the pattern
  -- at every offset of a ~90 KB page cost wrk more CPU than the server's own work on it
  local at = body:find('name="csrf_token"', 1, true)
  csrf = at and body:match('^[^>]-value="([^"]+)"', at + 17)
  local set_cookie = headers["Set-Cookie"] or headers["set-cookie"] or ""
  cookie = set_cookie:match("(session=[^;]+)") or ""
  if csrf == nil then
    failed = failed + 1
    return
  end
  phase = "post"
end

function done(summary, latency, requests)
  local c, f, e = 0, 0, 0
  for _, t in ipairs(threads) do
    c = c + t:get("completed")
    f = f + t:get("failed")
    e = e + t:get("exhausted")
  end
  io.write(string.format(
    "BENCH completed=%d failed=%d exhausted=%d duration_us=%d requests=%d p50_us=%d\n",
    c, f, e, summary.duration, summary.requests, latency:percentile(50)))
end
