//! The viewer's arithmetic, apart from the browser: how a picture is zoomed and moved, and what a set of
//! pointers did (a drag, a pinch, a swipe, a double tap).

/// The most a picture is enlarged.
pub const MAX_SCALE: f64 = 8.0;
/// How far (px) a finger travels sideways for a swipe to another version.
const SWIPE: f64 = 60.0;
/// At most this far (px) and this long apart (ms), two taps are a double tap.
const DOUBLE_TAP: (f64, f64) = (30.0, 350.0);

/// How the picture is shown: scaled about the stage's centre, then moved by `(x, y)` px.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct View {
    /// 1 = fitted to the screen.
    pub scale: f64,
    /// Sideways offset, px.
    pub x: f64,
    /// Vertical offset, px.
    pub y: f64,
}

impl Default for View {
    fn default() -> Self {
        Self { scale: 1.0, x: 0.0, y: 0.0 }
    }
}

impl View {
    /// The CSS transform.
    pub fn transform(&self) -> String {
        format!("translate({:.1}px, {:.1}px) scale({:.3})", self.x, self.y, self.scale)
    }

    /// Zoomed by `factor` about `point` (px from the stage's centre), which stays where it is on the screen;
    /// `size` is the picture's fitted size.
    pub fn zoomed(self, factor: f64, point: (f64, f64), size: (f64, f64)) -> Self {
        let scale = (self.scale * factor).clamp(1.0, MAX_SCALE);
        let k = scale / self.scale;
        Self { scale, x: point.0 - k * (point.0 - self.x), y: point.1 - k * (point.1 - self.y) }.clamped(size)
    }

    /// Moved by `(dx, dy)` px, no further than the enlarged picture's edges.
    pub fn panned(self, dx: f64, dy: f64, size: (f64, f64)) -> Self {
        Self { x: self.x + dx, y: self.y + dy, ..self }.clamped(size)
    }

    /// The picture's edges never come inside the fitted frame.
    fn clamped(self, size: (f64, f64)) -> Self {
        let (mx, my) = ((self.scale - 1.0) * size.0 / 2.0, (self.scale - 1.0) * size.1 / 2.0);
        Self { x: self.x.clamp(-mx, mx), y: self.y.clamp(-my, my), ..self }
    }
}

/// What a pointer's move changed.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Change {
    /// One pointer dragged by `(dx, dy)` px.
    Pan(f64, f64),
    /// Two pointers pinched: zoom by the factor about this point (client px).
    Pinch(f64, (f64, f64)),
}

/// What lifting the last pointer finished.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum End {
    /// A swipe: -1 to the previous version (finger moved right), 1 to the next.
    Swipe(isize),
    /// A second tap at this point (client px).
    DoubleTap(f64, f64),
}

/// The pointers on the stage and what they have done so far.
#[derive(Debug, Clone, Default)]
pub struct Gesture {
    pointers: Vec<(i32, (f64, f64))>,
    start: (f64, f64),
    travelled: f64,
    several: bool,
    last_tap: Option<(f64, (f64, f64))>,
}

impl Gesture {
    /// A pointer went down at `at`.
    pub fn down(&mut self, id: i32, at: (f64, f64)) {
        self.pointers.retain(|p| p.0 != id);
        self.pointers.push((id, at));
        if self.pointers.len() == 1 {
            self.start = at;
            self.travelled = 0.0;
            self.several = false;
        } else {
            self.several = true;
        }
    }

    /// A pointer moved to `at`; `None` for a pointer that isn't down.
    pub fn moved(&mut self, id: i32, at: (f64, f64)) -> Option<Change> {
        let i = self.pointers.iter().position(|p| p.0 == id)?;
        let before = self.pointers[i].1;
        self.pointers[i].1 = at;
        match self.pointers.as_slice() {
            [_] => {
                let (dx, dy) = (at.0 - before.0, at.1 - before.1);
                self.travelled += dx.hypot(dy);
                Some(Change::Pan(dx, dy))
            }
            [a, b] => {
                let other = if i == 0 { b.1 } else { a.1 };
                let was = (before.0 - other.0).hypot(before.1 - other.1);
                let now = (at.0 - other.0).hypot(at.1 - other.1);
                (was > 0.0)
                    .then(|| Change::Pinch(now / was, ((at.0 + other.0) / 2.0, (at.1 + other.1) / 2.0)))
            }
            _ => None,
        }
    }

    /// A pointer went up at `at` (time `now_ms`): a swipe or a double tap when it was the last one.
    pub fn up(&mut self, id: i32, at: (f64, f64), now_ms: f64) -> Option<End> {
        let known = self.pointers.iter().any(|p| p.0 == id);
        self.pointers.retain(|p| p.0 != id);
        if !known || !self.pointers.is_empty() || self.several {
            return None;
        }
        let (dx, dy) = (at.0 - self.start.0, at.1 - self.start.1);
        if dx.abs() > SWIPE && dx.abs() > 1.5 * dy.abs() {
            self.last_tap = None;
            return Some(End::Swipe(if dx > 0.0 { -1 } else { 1 }));
        }
        if self.travelled > 10.0 {
            return None;
        }
        match self.last_tap.take() {
            Some((when, was))
                if now_ms - when <= DOUBLE_TAP.1 && (at.0 - was.0).hypot(at.1 - was.1) <= DOUBLE_TAP.0 =>
            {
                Some(End::DoubleTap(at.0, at.1))
            }
            _ => {
                self.last_tap = Some((now_ms, at));
                None
            }
        }
    }

    /// The browser took a pointer back (a system gesture).
    pub fn cancel(&mut self, id: i32) {
        self.pointers.retain(|p| p.0 != id);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SIZE: (f64, f64) = (400.0, 300.0);

    #[test]
    fn zooming_keeps_the_point_under_the_pointer_and_never_shows_past_the_edges() {
        let v = View::default().zoomed(2.0, (100.0, 50.0), SIZE);
        assert_eq!(v.scale, 2.0);
        // The point 100 px right of the centre was at 100; picture point 100 is now drawn at -100 + 2 × 100.
        assert_eq!((v.x, v.y), (-100.0, -50.0));
        assert_eq!(v.x + v.scale * 100.0, 100.0);
        // At most 8×, and never below fitted (which centres it again).
        assert_eq!(v.zoomed(100.0, (0.0, 0.0), SIZE).scale, MAX_SCALE);
        assert_eq!(v.zoomed(0.01, (0.0, 0.0), SIZE), View::default());
        // Panning stops at the edge: at 2× a 400 px wide picture moves at most 200 px either way.
        let far = v.panned(10_000.0, -10_000.0, SIZE);
        assert_eq!((far.x, far.y), (200.0, -150.0));
        assert_eq!(View::default().panned(50.0, 50.0, SIZE), View::default());
    }

    #[test]
    fn a_drag_pans_two_fingers_pinch_and_a_quick_sideways_drag_is_a_swipe() {
        let mut g = Gesture::default();
        g.down(1, (200.0, 200.0));
        assert_eq!(g.moved(1, (210.0, 195.0)), Some(Change::Pan(10.0, -5.0)));
        assert_eq!(g.moved(7, (0.0, 0.0)), None, "a pointer that isn't down (a mouse hovering)");
        // A second finger: the distance doubles, about their midpoint.
        g.down(2, (310.0, 195.0));
        assert_eq!(g.moved(2, (410.0, 195.0)), Some(Change::Pinch(2.0, (310.0, 195.0))));
        assert_eq!(g.up(2, (410.0, 195.0), 0.0), None);
        assert_eq!(g.up(1, (210.0, 195.0), 0.0), None, "a pinch is never a swipe or a tap");

        g.down(1, (300.0, 200.0));
        g.moved(1, (200.0, 210.0));
        assert_eq!(g.up(1, (200.0, 210.0), 0.0), Some(End::Swipe(1)), "leftwards: the next version");
        g.down(1, (100.0, 200.0));
        assert_eq!(g.up(1, (180.0, 200.0), 0.0), Some(End::Swipe(-1)));
        g.down(1, (100.0, 200.0));
        assert_eq!(g.up(1, (130.0, 260.0), 0.0), None, "mostly vertical, or too short");
    }

    #[test]
    fn two_taps_close_together_are_a_double_tap() {
        let mut g = Gesture::default();
        g.down(1, (50.0, 50.0));
        assert_eq!(g.up(1, (50.0, 50.0), 1000.0), None);
        g.down(1, (55.0, 52.0));
        assert_eq!(g.up(1, (55.0, 52.0), 1200.0), Some(End::DoubleTap(55.0, 52.0)));
        // Too slow: two single taps.
        g.down(1, (50.0, 50.0));
        assert_eq!(g.up(1, (50.0, 50.0), 2000.0), None);
        g.down(1, (50.0, 50.0));
        assert_eq!(g.up(1, (50.0, 50.0), 2500.0), None);
    }
}
