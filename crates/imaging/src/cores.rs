//! Work split over the machine's cores by bands of rows: natively with scoped threads, in a browser's
//! worker (wasm32, one thread) in one go.

/// Calls `f(first_row, band)` on bands of whole rows of `pixels` (`row_len` values a row), one band a
/// core, and returns when all are done. Each row is handed out once, so the result doesn't depend on the
/// number of cores.
pub(crate) fn rows<T: Send>(pixels: &mut [T], row_len: usize, f: impl Fn(usize, &mut [T]) + Sync) {
    let rows = pixels.len() / row_len.max(1);
    let cores = if cfg!(target_arch = "wasm32") {
        1
    } else {
        std::thread::available_parallelism().map_or(1, |n| n.get())
    };
    // Not worth a thread below a few hundred thousand values.
    let bands = cores.min(pixels.len() / 200_000).max(1);
    if bands == 1 || rows < 2 {
        return f(0, pixels);
    }
    let per_band = rows.div_ceil(bands);
    std::thread::scope(|scope| {
        for (i, band) in pixels.chunks_mut(per_band * row_len).enumerate() {
            let f = &f;
            scope.spawn(move || f(i * per_band, band));
        }
    });
}

#[cfg(test)]
mod tests {
    #[test]
    fn every_row_is_handed_out_once_with_its_index() {
        for (rows, len) in [(1, 5), (7, 3), (1000, 999), (4096, 512)] {
            let mut v = vec![0u32; rows * len];
            super::rows(&mut v, len, |first, band| {
                for (k, row) in band.chunks_exact_mut(len).enumerate() {
                    row.iter_mut().for_each(|x| *x += (first + k) as u32 + 1);
                }
            });
            for (y, row) in v.chunks_exact(len).enumerate() {
                assert!(row.iter().all(|x| *x == y as u32 + 1), "{rows} × {len}: row {y}");
            }
        }
    }
}
