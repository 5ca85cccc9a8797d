-- wrk: print the 95th percentile of latency, which wrk's own --latency table leaves out
-- (50/75/90/99). bench/lib.sh adds this script to every workload that has none of its own.
done = function(summary, latency, requests)
  io.write(string.format("p95 %.2fms\n", latency:percentile(95) / 1000))
end
