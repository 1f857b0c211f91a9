//! Multi-scale PatchMatch completion (Barnes et al. 2009 for the search, Wexler, Shechtman and Irani 2007
//! for the filling): every 7 × 7 patch that touches the hole is matched with the most similar patch of the
//! known part of the photo, and each hole pixel becomes the weighted vote of the patches that cover it.
//! Matching and voting alternate, coarse to fine, so large areas get texture (grass, brick, sand) rather
//! than a smear.

use super::{telea, Canvas};

/// Half the patch side: patches are 7 × 7.
const R: usize = 3;
/// The coarsest level's long side.
const COARSEST: usize = 64;

/// A deterministic generator (xorshift64*): the same photo and mask give the same fill.
struct Rng(u64);

impl Rng {
    fn below(&mut self, n: usize) -> usize {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        (self.0.wrapping_mul(0x2545_F491_4F6C_DD1D) >> 33) as usize % n.max(1)
    }
}

/// Fills `canvas`'s hole in place.
pub(crate) fn fill(canvas: &mut Canvas) {
    // The pyramid, finest first; a level is halved until it is small or would have no whole patch to copy.
    let mut levels = vec![canvas.clone()];
    loop {
        let last = levels.last().expect("one level at least");
        if last.w.max(last.h) <= COARSEST {
            break;
        }
        let next = last.half();
        if sources(&next).len() < 64 {
            break;
        }
        levels.push(next);
    }
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
    let coarsest = levels.len() - 1;
    let mut nnf: Vec<u32> = Vec::new();
    for level in (0..=coarsest).rev() {
        let cur = &mut levels[level];
        let valid = sources(cur);
        if valid.is_empty() {
            // Nothing whole to copy from (the hole covers nearly everything): diffuse from the edge.
            telea::fill(cur, 5);
            nnf.clear();
            continue;
        }
        let is_valid = mask_of(&valid, cur.w * cur.h);
        let targets = targets(cur);
        if level == coarsest || nnf.is_empty() {
            telea::fill(cur, 5);
            nnf = vec![0; cur.w * cur.h];
            for &p in &targets {
                nnf[p as usize] = valid[rng.below(valid.len())];
            }
        } else {
            nnf =
                upsample_nnf(&nnf, &levels[level + 1], &levels[level], &targets, &is_valid, &valid, &mut rng);
            let cur = &mut levels[level];
            vote(cur, &targets, &nnf, None);
        }
        let cur = &mut levels[level];
        let iterations = if level == 0 { 2 } else { 5 };
        let mut dist = vec![0f32; cur.w * cur.h];
        for &p in &targets {
            dist[p as usize] = distance(cur, p as usize, nnf[p as usize] as usize, f32::INFINITY);
        }
        for round in 0..iterations {
            search(cur, &targets, &mut nnf, &mut dist, &is_valid, &valid, round % 2 == 1, &mut rng);
            vote(cur, &targets, &nnf, Some(&dist));
        }
        if level > 0 {
            // The finer level starts from this one's answer.
            let (fine, coarse) = levels.split_at_mut(level);
            fine[level - 1].upsample_from(&coarse[0]);
        }
    }
    canvas.px = std::mem::take(&mut levels[0].px);
}

/// Centres of whole patches outside the hole (where a patch may be copied from).
fn sources(c: &Canvas) -> Vec<u32> {
    if c.w <= 2 * R || c.h <= 2 * R {
        return Vec::new();
    }
    // Integral image of the hole, to count hole pixels in a patch in O(1).
    let (w, h) = (c.w, c.h);
    let mut sum = vec![0u32; (w + 1) * (h + 1)];
    for y in 0..h {
        let mut row = 0;
        for x in 0..w {
            row += u32::from(c.hole[y * w + x]);
            sum[(y + 1) * (w + 1) + x + 1] = sum[y * (w + 1) + x + 1] + row;
        }
    }
    let count = |x0: usize, y0: usize, x1: usize, y1: usize| {
        sum[y1 * (w + 1) + x1] + sum[y0 * (w + 1) + x0] - sum[y0 * (w + 1) + x1] - sum[y1 * (w + 1) + x0]
    };
    let mut out = Vec::new();
    for y in R..h - R {
        for x in R..w - R {
            if count(x - R, y - R, x + R + 1, y + R + 1) == 0 {
                out.push((y * w + x) as u32);
            }
        }
    }
    out
}

fn mask_of(points: &[u32], n: usize) -> Vec<bool> {
    let mut m = vec![false; n];
    for &p in points {
        m[p as usize] = true;
    }
    m
}

/// Centres of the patches that touch the hole (within `R` of a hole pixel).
fn targets(c: &Canvas) -> Vec<u32> {
    let (w, h) = (c.w, c.h);
    let mut near = vec![false; w * h];
    for y in 0..h {
        for x in 0..w {
            if c.hole[y * w + x] {
                for ny in y.saturating_sub(R)..(y + R + 1).min(h) {
                    near[ny * w + x.saturating_sub(R)..ny * w + (x + R + 1).min(w)].fill(true);
                }
            }
        }
    }
    (0..w * h).filter(|&i| near[i]).map(|i| i as u32).collect()
}

/// Sum of squared differences between the patch at `p` and the patch at `q` (a whole one), over the part of
/// `p`'s patch inside the image; gives up once past `limit`.
fn distance(c: &Canvas, p: usize, q: usize, limit: f32) -> f32 {
    let (w, h) = (c.w as isize, c.h as isize);
    let (px, py) = ((p % c.w) as isize, (p / c.w) as isize);
    let (qx, qy) = ((q % c.w) as isize, (q / c.w) as isize);
    let r = R as isize;
    let mut d = 0f32;
    for dy in -r..=r {
        let (ty, sy) = (py + dy, qy + dy);
        if ty < 0 || ty >= h {
            continue;
        }
        for dx in -r..=r {
            let tx = px + dx;
            if tx < 0 || tx >= w {
                continue;
            }
            let a = c.px[(ty * w + tx) as usize];
            let b = c.px[(sy * w + qx + dx) as usize];
            for k in 0..4 {
                let e = a[k] - b[k];
                d += e * e;
            }
        }
        if d > limit {
            return d;
        }
    }
    d
}

/// One PatchMatch pass: each target tries its neighbours' matches shifted by one, then random matches in
/// shrinking windows around its own.
#[allow(clippy::too_many_arguments)]
fn search(
    c: &Canvas,
    targets: &[u32],
    nnf: &mut [u32],
    dist: &mut [f32],
    is_valid: &[bool],
    valid: &[u32],
    backwards: bool,
    rng: &mut Rng,
) {
    let (w, h) = (c.w, c.h);
    let order: Box<dyn Iterator<Item = &u32>> =
        if backwards { Box::new(targets.iter().rev()) } else { Box::new(targets.iter()) };
    let step: isize = if backwards { -1 } else { 1 };
    for &p in order {
        let p = p as usize;
        let (x, y) = ((p % w) as isize, (p / w) as isize);
        let mut best = (nnf[p] as usize, dist[p]);
        let consider = |q: usize, best: &mut (usize, f32)| {
            if is_valid[q] && q != best.0 {
                let d = distance(c, p, q, best.1);
                if d < best.1 {
                    *best = (q, d);
                }
            }
        };
        // Propagation from the neighbour already visited on this row and on the row above (or below).
        for (nx, ny) in [(x - step, y), (x, y - step)] {
            if nx < 0 || ny < 0 || nx >= w as isize || ny >= h as isize {
                continue;
            }
            let n = ny as usize * w + nx as usize;
            let (qx, qy) =
                ((nnf[n] as usize % w) as isize + (x - nx), (nnf[n] as usize / w) as isize + (y - ny));
            if qx >= 0 && qy >= 0 && qx < w as isize && qy < h as isize {
                consider(qy as usize * w + qx as usize, &mut best);
            }
        }
        // Random search around the best so far, the window halving each time.
        let mut radius = w.max(h) as isize;
        while radius >= 1 {
            let (bx, by) = ((best.0 % w) as isize, (best.0 / w) as isize);
            let x0 = (bx - radius).max(0);
            let x1 = (bx + radius).min(w as isize - 1);
            let y0 = (by - radius).max(0);
            let y1 = (by + radius).min(h as isize - 1);
            let qx = x0 + rng.below((x1 - x0 + 1) as usize) as isize;
            let qy = y0 + rng.below((y1 - y0 + 1) as usize) as isize;
            consider(qy as usize * w + qx as usize, &mut best);
            radius /= 2;
        }
        // A target whose match is still invalid (there were no neighbours yet) gets any whole patch.
        if !is_valid[best.0] {
            let q = valid[rng.below(valid.len())] as usize;
            best = (q, distance(c, p, q, f32::INFINITY));
        }
        nnf[p] = best.0 as u32;
        dist[p] = best.1;
    }
}

/// Each hole pixel becomes the average of what the patches covering it would put there, patches that
/// match well counting more (`dist` given); equally otherwise.
fn vote(c: &mut Canvas, targets: &[u32], nnf: &[u32], dist: Option<&[f32]>) {
    let (w, h) = (c.w, c.h);
    let sigma2 = dist.map(|d| {
        let mut ds: Vec<f32> = targets.iter().map(|&p| d[p as usize]).collect();
        if ds.is_empty() {
            return 1.0;
        }
        let k = (ds.len() * 3 / 4).min(ds.len() - 1);
        let (_, v, _) = ds.select_nth_unstable_by(k, f32::total_cmp);
        v.max(1e-3)
    });
    let mut acc = vec![[0f32; 5]; w * h];
    let r = R as isize;
    for &p in targets {
        let p = p as usize;
        let q = nnf[p] as usize;
        let weight = match (dist, sigma2) {
            (Some(d), Some(s)) => (-d[p] / (2.0 * s)).exp().max(1e-6),
            _ => 1.0,
        };
        let (px, py) = ((p % w) as isize, (p / w) as isize);
        let (qx, qy) = ((q % w) as isize, (q / w) as isize);
        for dy in -r..=r {
            let ty = py + dy;
            if ty < 0 || ty >= h as isize {
                continue;
            }
            for dx in -r..=r {
                let tx = px + dx;
                if tx < 0 || tx >= w as isize {
                    continue;
                }
                let t = ty as usize * w + tx as usize;
                if !c.hole[t] {
                    continue;
                }
                let s = c.px[(qy + dy) as usize * w + (qx + dx) as usize];
                let a = &mut acc[t];
                for k in 0..4 {
                    a[k] += weight * s[k];
                }
                a[4] += weight;
            }
        }
    }
    for (i, a) in acc.iter().enumerate() {
        if c.hole[i] && a[4] > 0.0 {
            c.px[i] = [a[0] / a[4], a[1] / a[4], a[2] / a[4], a[3] / a[4]];
        }
    }
}

/// The coarse level's matches, doubled, as the start at the finer level.
fn upsample_nnf(
    coarse_nnf: &[u32],
    coarse: &Canvas,
    fine: &Canvas,
    targets: &[u32],
    is_valid: &[bool],
    valid: &[u32],
    rng: &mut Rng,
) -> Vec<u32> {
    let mut nnf = vec![0u32; fine.w * fine.h];
    for &p in targets {
        let p = p as usize;
        let (x, y) = (p % fine.w, p / fine.w);
        let (cx, cy) = ((x / 2).min(coarse.w - 1), (y / 2).min(coarse.h - 1));
        let cq = coarse_nnf[cy * coarse.w + cx] as usize;
        let (qx, qy) = ((cq % coarse.w) * 2 + x % 2, (cq / coarse.w) * 2 + y % 2);
        let q = qy * fine.w + qx;
        nnf[p] =
            if qx < fine.w && qy < fine.h && is_valid[q] { q as u32 } else { valid[rng.below(valid.len())] };
    }
    nnf
}
