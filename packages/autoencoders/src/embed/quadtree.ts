/**
 * The Barnes-Hut quadtree of t-SNE (van der Maaten 2014, "Accelerating t-SNE using Tree-Based
 * Algorithms", JMLR 15): a cell far enough from a point acts on it as one body of its total count
 * at its centre of mass. "Far enough" is scikit-learn's test, width² < θ² · distance², with the
 * width of the cell's box (its larger side). The tree is rebuilt every iteration in flat typed
 * arrays, its cells in depth-first order with, for each, the index just past its subtree; a walk
 * is then one loop (descend = next cell, accept or leaf = jump past the subtree), with no stack.
 */

/** Depth beyond which a cell stays a leaf even if its points differ (below float64's resolution). */
const MAX_DEPTH = 64

export class QuadTree {
  /** Per cell, side by side: centre of mass x and y, number of points, squared width. */
  cells = new Float64Array(0)
  /** Per cell, the index of the cell past its subtree (the next one for a leaf). */
  skip = new Int32Array(0)
  size = 0
  /** The points in the tree's depth-first order: neighbours in the plane are near in it. */
  order = new Int32Array(0)

  /**
   * Builds the tree of n points y = [x0, y0, x1, y1, ...].
   * @example const tree = new QuadTree(); tree.build(y, n)
   */
  build(y: Float64Array, n: number): void {
    if (this.order.length !== n) this.order = Int32Array.from({ length: n }, (_, i) => i)
    if (this.skip.length < 2 * n + 1) this.grow(2 * n + 1)
    this.size = 0
    let x0 = Infinity
    let y0 = Infinity
    let x1 = -Infinity
    let y1 = -Infinity
    for (let i = 0; i < n; i++) {
      x0 = Math.min(x0, y[2 * i])
      x1 = Math.max(x1, y[2 * i])
      y0 = Math.min(y0, y[2 * i + 1])
      y1 = Math.max(y1, y[2 * i + 1])
    }
    // scikit-learn's box: the maxima pushed out a little, so that its cells are the same.
    x1 = Math.max(x1 * (1 + 1e-3 * Math.sign(x1)), x1 + 1e-3)
    y1 = Math.max(y1 * (1 + 1e-3 * Math.sign(y1)), y1 + 1e-3)
    this.cell(y, 0, n, x0, y0, x1, y1, 0)
  }

  private grow(capacity: number): void {
    const cells = new Float64Array(4 * capacity)
    cells.set(this.cells.subarray(0, 4 * this.size))
    const skip = new Int32Array(capacity)
    skip.set(this.skip.subarray(0, this.size))
    this.cells = cells
    this.skip = skip
  }

  /** The cell of points order[start..end) in the box [x0, x1] × [y0, y1], then its children. */
  private cell(y: Float64Array, start: number, end: number, x0: number, y0: number, x1: number, y1: number,
    depth: number): void {
    if (this.size === this.skip.length) this.grow(2 * this.size)
    const id = this.size++
    const order = this.order
    const fx = y[2 * order[start]]
    const fy = y[2 * order[start] + 1]
    let sx = 0
    let sy = 0
    let same = true
    for (let t = start; t < end; t++) {
      const px = y[2 * order[t]]
      const py = y[2 * order[t] + 1]
      sx += px
      sy += py
      same &&= px === fx && py === fy
    }
    const w = Math.max(x1 - x0, y1 - y0)
    // A leaf of copies of one point sits exactly at that point, so a walk from it sees distance 0.
    this.cells[4 * id] = same ? fx : sx / (end - start)
    this.cells[4 * id + 1] = same ? fy : sy / (end - start)
    this.cells[4 * id + 2] = end - start
    this.cells[4 * id + 3] = w * w
    if (same || depth >= MAX_DEPTH) {
      this.skip[id] = id + 1
      return
    }
    const cx = (x0 + x1) / 2
    const cy = (y0 + y1) / 2
    const mid = partition(order, y, 0, cx, start, end)
    const low = partition(order, y, 1, cy, start, mid)
    const high = partition(order, y, 1, cy, mid, end)
    if (low > start) this.cell(y, start, low, x0, y0, cx, cy, depth + 1)
    if (mid > low) this.cell(y, low, mid, x0, cy, cx, y1, depth + 1)
    if (high > mid) this.cell(y, mid, high, cx, y0, x1, cy, depth + 1)
    if (end > high) this.cell(y, high, end, cx, cy, x1, y1, depth + 1)
    this.skip[id] = this.size
  }

  /**
   * The repulsion on the point (px, py): returns Σ_j q_j, q_j = 1 / (1 + |p - y_j|²), over the
   * other points (its part of Z), and adds Σ_j q_j² (p - y_j) to force[at], force[at + 1].
   * Copies of the point count in Z (q = 1) and push nowhere.
   * @example const z = tree.repulse(y[2 * i], y[2 * i + 1], 0.25, rep, 2 * i)
   */
  repulse(px: number, py: number, theta2: number, force: Float64Array, at: number): number {
    const { cells, skip, size } = this
    let z = 0
    let fx = 0
    let fy = 0
    for (let c = 0; c < size;) {
      const dx = px - cells[4 * c]
      const dy = py - cells[4 * c + 1]
      const d2 = dx * dx + dy * dy
      const next = skip[c]
      if (next === c + 1 || cells[4 * c + 3] < theta2 * d2) {
        if (d2 === 0) {
          z += cells[4 * c + 2] - 1
        } else {
          const q = 1 / (1 + d2)
          const m = cells[4 * c + 2] * q
          z += m
          fx += m * q * dx
          fy += m * q * dy
        }
        c = next
      } else {
        c++
      }
    }
    force[at] += fx
    force[at + 1] += fy
    return z
  }
}

/** Reorders order[start..end) so points with coordinate `axis` below `split` come first; returns the first other. */
function partition(order: Int32Array, y: Float64Array, axis: number, split: number, start: number,
  end: number): number {
  let i = start
  let j = end - 1
  for (;;) {
    while (i <= j && y[2 * order[i] + axis] < split) i++
    while (i <= j && y[2 * order[j] + axis] >= split) j--
    if (i >= j) return i
    const t = order[i]
    order[i] = order[j]
    order[j] = t
  }
}
