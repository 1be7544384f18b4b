-- wrk script: look up certificate codes as many employers behind a proxy would.
-- Arguments: <codes file> <suffix> ("/" for the page, ".json" for machines).
local threads = {}

setup = function(thread)
  thread:set("id", #threads + 1)
  table.insert(threads, thread)
end

init = function(args)
  codes = {}
  for line in io.lines(args[1]) do
    table.insert(codes, line)
  end
  suffix = args[2]
  errors = 0
  misses = 0
  math.randomseed(os.time() * 100 + id)
end

request = function()
  local code = codes[math.random(#codes)]
  -- Each request comes from one of ~16 million employer addresses.
  local client = string.format("10.%d.%d.%d", math.random(0, 255),
    math.random(0, 255), math.random(1, 254))
  return wrk.format("GET", "/verify/" .. code .. suffix, {
    ["X-Forwarded-For"] = client,
    ["X-Forwarded-Proto"] = "https",
  })
end

response = function(status, headers, body)
  if status == 404 then
    misses = misses + 1
  elseif status ~= 200 then
    errors = errors + 1
  end
end

done = function(summary, latency, requests)
  local errs, miss = 0, 0
  for _, thread in ipairs(threads) do
    errs = errs + thread:get("errors")
    miss = miss + thread:get("misses")
  end
  local socket = summary.errors.connect + summary.errors.read
    + summary.errors.write + summary.errors.timeout
  io.write(string.format(
    "BENCH requests=%d seconds=%.3f p50_us=%d p99_us=%d errors=%d misses=%d socket_errors=%d\n",
    summary.requests, summary.duration / 1e6, latency:percentile(50),
    latency:percentile(99), errs, miss, socket))
end
