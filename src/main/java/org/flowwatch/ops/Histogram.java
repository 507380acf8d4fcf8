package org.flowwatch.ops;

import java.time.Duration;
import java.util.Arrays;

/**
 * A Prometheus histogram of durations in seconds: cumulative bucket counts, a sum and a count. Updated by
 * the agent thread and read by the metrics endpoint, so every method is synchronized; an update is a few
 * comparisons, which is all a scan or a start may spend on being measured.
 */
final class Histogram {
  private final double[] bounds;
  private final long[] counts;
  private double sum;
  private long count;

  /** @param bounds upper bounds of the buckets in seconds, ascending; +Inf is implied */
  Histogram(double... bounds) {
    for (int i = 1; i < bounds.length; i++) {
      if (bounds[i] <= bounds[i - 1]) {
        throw new IllegalArgumentException("histogram bounds must ascend: " + Arrays.toString(bounds));
      }
    }
    this.bounds = bounds.clone();
    this.counts = new long[bounds.length];
  }

  synchronized void observe(Duration d) {
    double seconds = d.toNanos() / 1e9;
    for (int i = 0; i < bounds.length; i++) {
      if (seconds <= bounds[i]) {
        counts[i]++;
      }
    }
    sum += seconds;
    count++;
  }

  /** What the histogram holds now, for one rendering. */
  synchronized Values values() {
    return new Values(bounds.clone(), counts.clone(), sum, count);
  }

  /** @param cumulative the number of observations at most {@code bounds[i]} */
  record Values(double[] bounds, long[] cumulative, double sum, long count) {}
}
