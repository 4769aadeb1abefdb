-- Cycles through request lines from the file named by WRK_PATHS: "METHOD PATH [BODY]" per line, sent with
-- the bearer token in WRK_TOKEN. "{n}" in a path or body becomes a value unique to each request, for writes
-- that must not repeat (such requests are formatted per call so Content-Length stays right).
local fixed = {}
local templates = {}
local counter = 0
local unique = 0

function init(args)
  local file = io.open(os.getenv("WRK_PATHS"), "r")
  for line in file:lines() do
    local method, path, body = line:match("^(%S+)%s+(%S+)%s*(.*)$")
    local headers = { ["Authorization"] = "Bearer " .. os.getenv("WRK_TOKEN") }
    if body ~= nil and body ~= "" then
      headers["Content-Type"] = os.getenv("WRK_CONTENT_TYPE") or "application/json"
    else
      body = nil
    end
    if line:find("{n}", 1, true) then
      templates[#templates + 1] = { method = method, path = path, headers = headers, body = body }
    else
      fixed[#fixed + 1] = wrk.format(method, path, headers, body)
    end
  end
  file:close()
  math.randomseed(os.time() + (tonumber(tostring({}):match("0x(%x+)"), 16) or 0))
  counter = math.random(math.max(#fixed, #templates))
end

function request()
  counter = counter + 1
  if #templates > 0 then
    local t = templates[counter % #templates + 1]
    unique = unique + 1
    local n = string.format("%d%07d", math.random(100000000, 899999999), unique % 10000000)
    local body = t.body and t.body:gsub("{n}", n) or nil
    return wrk.format(t.method, (t.path:gsub("{n}", n)), t.headers, body)
  end
  return fixed[counter % #fixed + 1]
end

function done(summary, latency, requests_)
  -- the latency at every percentile from 1 to 99 (and 99.9): bench.run draws the histogram from them
  local quantiles = {}
  for p = 1, 99 do
    quantiles[#quantiles + 1] = string.format("%d", latency:percentile(p))
  end
  quantiles[#quantiles + 1] = string.format("%d", latency:percentile(99.9))
  io.write(string.format(
    "JSON {\"requests\": %d, \"duration_us\": %d, \"p50_us\": %d, \"p99_us\": %d, \"errors\": %d, \"non2xx\": %d, " ..
    "\"quantiles_us\": [%s]}\n",
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(99),
    summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout,
    summary.errors.status, table.concat(quantiles, ", ")))
end
