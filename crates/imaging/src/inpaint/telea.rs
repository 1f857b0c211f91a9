//! Telea's fast-marching inpainting (A. Telea, "An Image Inpainting Technique Based on the Fast Marching
//! Method", 2004): the hole is filled from its edge inwards, each pixel from the known pixels around it,
//! weighted by direction, distance and level. Good for thin or small areas (a scratch, a power line, a
//! blemish); larger areas come out smeared, which is what [`super::patchmatch`] is for.

use super::Canvas;
use std::cmp::Ordering;
use std::collections::BinaryHeap;

const KNOWN: u8 = 0;
const BAND: u8 = 1;
const INSIDE: u8 = 2;

/// A band pixel in the heap, nearest to the edge first.
#[derive(PartialEq)]
struct Front {
    t: f32,
    at: usize,
}

impl Eq for Front {}

impl Ord for Front {
    fn cmp(&self, other: &Self) -> Ordering {
        // A min-heap on `t`; ties broken by position so the order is deterministic.
        other.t.total_cmp(&self.t).then_with(|| other.at.cmp(&self.at))
    }
}

impl PartialOrd for Front {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

/// Fills `canvas`'s hole in place, looking `radius` pixels around each pixel.
pub(crate) fn fill(canvas: &mut Canvas, radius: usize) {
    let (w, h) = (canvas.w, canvas.h);
    let mut flag: Vec<u8> = canvas.hole.iter().map(|&hole| if hole { INSIDE } else { KNOWN }).collect();
    let mut t = vec![f32::INFINITY; w * h];
    let mut heap = BinaryHeap::new();
    for i in 0..w * h {
        if flag[i] == INSIDE {
            continue;
        }
        t[i] = 0.0;
        if neighbours(i, w, h).any(|n| flag[n] == INSIDE) {
            flag[i] = BAND;
            heap.push(Front { t: 0.0, at: i });
        }
    }
    while let Some(Front { at, .. }) = heap.pop() {
        if flag[at] == KNOWN {
            continue;
        }
        flag[at] = KNOWN;
        for n in neighbours(at, w, h).collect::<Vec<_>>() {
            if flag[n] != INSIDE {
                continue;
            }
            flag[n] = BAND;
            let (x, y) = (n % w, n / w);
            let solve = |a: Option<usize>, b: Option<usize>| eikonal(a, b, &flag, &t);
            let left = (x > 0).then(|| n - 1);
            let right = (x + 1 < w).then(|| n + 1);
            let up = (y > 0).then(|| n - w);
            let down = (y + 1 < h).then(|| n + w);
            t[n] = solve(left, up).min(solve(right, up)).min(solve(left, down)).min(solve(right, down));
            paint(canvas, n, radius, &flag, &t);
            heap.push(Front { t: t[n], at: n });
        }
    }
}

/// The 4-neighbours of pixel `i`.
fn neighbours(i: usize, w: usize, h: usize) -> impl Iterator<Item = usize> {
    let (x, y) = (i % w, i / w);
    [(x > 0).then(|| i - 1), (x + 1 < w).then(|| i + 1), (y > 0).then(|| i - w), (y + 1 < h).then(|| i + w)]
        .into_iter()
        .flatten()
}

/// The arrival time at a pixel from two of its neighbours (one horizontal, one vertical).
fn eikonal(a: Option<usize>, b: Option<usize>, flag: &[u8], t: &[f32]) -> f32 {
    let known = |p: Option<usize>| p.filter(|&p| flag[p] != INSIDE).map(|p| t[p]);
    match (known(a), known(b)) {
        (Some(t1), Some(t2)) => {
            let d = t1 - t2;
            if d.abs() >= 1.0 {
                return 1.0 + t1.min(t2);
            }
            let r = (2.0 - d * d).sqrt();
            (t1 + t2 + r) / 2.0
        }
        (Some(t1), None) => 1.0 + t1,
        (None, Some(t2)) => 1.0 + t2,
        (None, None) => f32::INFINITY,
    }
}

/// The colour of pixel `n` from the known pixels within `radius`.
fn paint(canvas: &mut Canvas, n: usize, radius: usize, flag: &[u8], t: &[f32]) {
    let (w, h) = (canvas.w, canvas.h);
    let (x, y) = ((n % w) as isize, (n / w) as isize);
    let tn = t[n];
    // The front's normal: the gradient of the arrival time.
    let at = |dx: isize, dy: isize| {
        let (px, py) = (x + dx, y + dy);
        if px < 0 || py < 0 || px >= w as isize || py >= h as isize {
            return None;
        }
        let p = py as usize * w + px as usize;
        (flag[p] != INSIDE && t[p].is_finite()).then_some(t[p])
    };
    let diff = |minus: Option<f32>, plus: Option<f32>| match (minus, plus) {
        (Some(m), Some(p)) => (p - m) / 2.0,
        (Some(m), None) => tn - m,
        (None, Some(p)) => p - tn,
        (None, None) => 0.0,
    };
    let (gx, gy) = (diff(at(-1, 0), at(1, 0)), diff(at(0, -1), at(0, 1)));
    let r = radius as isize;
    let mut sum = [0f32; 4];
    let mut weights = 0f32;
    for dy in -r..=r {
        for dx in -r..=r {
            let (px, py) = (x + dx, y + dy);
            if (dx == 0 && dy == 0) || px < 0 || py < 0 || px >= w as isize || py >= h as isize {
                continue;
            }
            let d2 = (dx * dx + dy * dy) as f32;
            if d2 > (r * r) as f32 {
                continue;
            }
            let p = py as usize * w + px as usize;
            if flag[p] == INSIDE {
                continue;
            }
            let dist = d2.sqrt();
            // Direction: pixels along the front's normal count most (never zero, so a flat front still fills).
            let dir = ((-(dx as f32) * gx - (dy as f32) * gy) / dist).abs().max(0.01);
            let dst = 1.0 / d2;
            let lev = 1.0 / (1.0 + (t[p] - tn).abs());
            let weight = dir * dst * lev;
            for (s, v) in sum.iter_mut().zip(canvas.px[p]) {
                *s += weight * v;
            }
            weights += weight;
        }
    }
    if weights > 0.0 {
        canvas.px[n] = sum.map(|s| s / weights);
    }
}
