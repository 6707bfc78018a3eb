package io.trendline.bench;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** Order statistics of measured values. */
public final class Stats {
  private Stats() {}

  /** The {@code q}-quantile (0..1) by the nearest-rank method; NaN for no values. */
  public static double quantile(List<? extends Number> values, double q) {
    if (values.isEmpty()) {
      return Double.NaN;
    }
    List<Double> sorted = new ArrayList<>();
    for (Number n : values) {
      sorted.add(n.doubleValue());
    }
    Collections.sort(sorted);
    int rank = (int) Math.ceil(q * sorted.size());
    return sorted.get(Math.max(0, Math.min(sorted.size() - 1, rank - 1)));
  }

  public static double median(List<? extends Number> values) {
    return quantile(values, 0.5);
  }

  public static double mean(List<? extends Number> values) {
    double sum = 0;
    for (Number n : values) {
      sum += n.doubleValue();
    }
    return values.isEmpty() ? Double.NaN : sum / values.size();
  }

  /**
   * The least-squares line through the points ({@code xs[i]}, {@code ys[i]}): {@code {intercept,
   * slope}}; NaNs for fewer than two distinct x.
   */
  public static double[] line(List<? extends Number> xs, List<? extends Number> ys) {
    if (xs.size() != ys.size()) {
      throw new IllegalArgumentException(xs.size() + " x for " + ys.size() + " y");
    }
    double mx = mean(xs);
    double my = mean(ys);
    double sxx = 0;
    double sxy = 0;
    for (int i = 0; i < xs.size(); i++) {
      double dx = xs.get(i).doubleValue() - mx;
      sxx += dx * dx;
      sxy += dx * (ys.get(i).doubleValue() - my);
    }
    if (sxx == 0) {
      return new double[] {Double.NaN, Double.NaN};
    }
    double slope = sxy / sxx;
    return new double[] {my - slope * mx, slope};
  }

  /** {@code a / b}, rounded to two decimals. */
  public static double ratio(double a, double b) {
    return Math.round(a / b * 100) / 100.0;
  }
}
