-- wrk: raise tickets over HTTP as a signed-in user (cookie session + CSRF token from the
-- environment), each with a different subject so that the search index grows as in real use.
local counter = 0
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Cookie"] = os.getenv("BENCH_COOKIE")
wrk.headers["X-CSRF-Token"] = os.getenv("BENCH_CSRF")
request = function()
  counter = counter + 1
  local body = string.format(
    '{"type":"incident","subject":"打印机卡纸 printer jam %d","description":"三楼打印机卡纸，Every job comes out blank. %d"}',
    counter, counter)
  return wrk.format(nil, nil, nil, body)
end
done = function(summary, latency, requests)  -- as bench/p95.lua
  io.write(string.format("p95 %.2fms\n", latency:percentile(95) / 1000))
end
