//! Scenes for a product photo, drawn rather than photographed: a studio's seamless paper sweep, a wooden
//! table against a wall, and a sunlit stone shelf with window light on the wall. Each has a floor line where
//! the product's base stands (see [`crate::background::product_shot`]).

use image::{Rgba, RgbaImage};

/// A scene behind a product.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Scene {
    /// Light grey paper curving from the wall into the floor, lit from behind the product.
    Studio,
    /// A warm wall above a wooden table top.
    Table,
    /// A pale wall with window light falling across it, above a stone shelf.
    Sunlit,
}

impl Scene {
    /// Where the product's base stands, as a share of the height from the top.
    pub fn floor(self) -> f32 {
        0.86
    }

    /// Where the wall meets the floor (or the table's back edge), as a share of the height.
    pub fn horizon(self) -> f32 {
        match self {
            Scene::Studio => 0.62,
            Scene::Table => 0.6,
            Scene::Sunlit => 0.64,
        }
    }
}

fn mix(a: [f32; 3], b: [f32; 3], t: f32) -> [f32; 3] {
    let t = t.clamp(0.0, 1.0);
    [0, 1, 2].map(|i| a[i] + (b[i] - a[i]) * t)
}

fn smoothstep(edge0: f32, edge1: f32, x: f32) -> f32 {
    let t = ((x - edge0) / (edge1 - edge0)).clamp(0.0, 1.0);
    t * t * (3.0 - 2.0 * t)
}

/// A small repeatable noise in -1..1 from a pixel's position (the wood's and the stone's texture).
fn hash(x: u32, y: u32) -> f32 {
    let mut h = x.wrapping_mul(374_761_393) ^ y.wrapping_mul(668_265_263);
    h = (h ^ (h >> 13)).wrapping_mul(1_274_126_177);
    (h ^ (h >> 16)) as f32 / u32::MAX as f32 * 2.0 - 1.0
}

/// The scene drawn at `width` × `height`, with the product's base to be centred at `centre` (x, y) in
/// pixels (the studio's light falls behind it).
pub fn draw(scene: Scene, width: u32, height: u32, centre: (f32, f32)) -> RgbaImage {
    let (w, h) = (width.max(1) as f32, height.max(1) as f32);
    let horizon = scene.horizon() * h;
    RgbaImage::from_fn(width, height, |x, y| {
        let (fx, fy) = (x as f32 + 0.5, y as f32 + 0.5);
        let rgb = match scene {
            Scene::Studio => {
                // The sweep: darker at the top of the wall, brightest where it curves, a touch darker in
                // front; a soft glow behind the product.
                let wall = mix([214.0, 219.0, 226.0], [244.0, 245.0, 247.0], fy / horizon);
                let floor = mix([244.0, 245.0, 247.0], [226.0, 229.0, 234.0], (fy - horizon) / (h - horizon));
                let base = if fy < horizon { wall } else { floor };
                let (dx, dy) = ((fx - centre.0) / w, (fy - centre.1 * 0.8) / h);
                let glow = 0.07 * (1.0 - ((dx * dx + dy * dy).sqrt() / 0.55).min(1.0));
                base.map(|c| c + (255.0 - c) * glow)
            }
            Scene::Table => {
                if fy < horizon {
                    // A warm wall, lit from the upper left.
                    let (dx, dy) = (fx / w - 0.2, fy / h - 0.05);
                    let light = 1.03 - 0.13 * (dx * dx + dy * dy).sqrt();
                    [236.0, 226.0, 212.0].map(|c| c * light)
                } else {
                    // The table top: lighter at the back, grain that narrows towards the back, a shaded
                    // back edge.
                    let depth = (fy - horizon) / (h - horizon);
                    let wood = mix([190.0, 146.0, 104.0], [136.0, 94.0, 62.0], depth);
                    let along = (depth.sqrt() * 46.0 + (fx / w * 9.0 + depth * 5.0).sin() * 0.6).sin();
                    let grain = 1.0 + 0.045 * along + 0.012 * hash(x / 3, y);
                    let edge = 1.0 - 0.22 * (1.0 - smoothstep(0.0, 0.025, depth));
                    wood.map(|c| c * grain * edge)
                }
            }
            Scene::Sunlit => {
                if fy < horizon {
                    // A window's light falling aslant across a pale wall: four panes, soft at their edges,
                    // split by the window's bars.
                    let (u, v) = (fx / w - 0.42 * fy / h, fy / horizon);
                    let band = |x: f32, from: f32, to: f32| {
                        smoothstep(from - 0.02, from + 0.02, x) * (1.0 - smoothstep(to - 0.02, to + 0.02, x))
                    };
                    let across = band(u, 0.08, 0.36) + band(u, 0.42, 0.7);
                    let down = band(v, 0.1, 0.46) + band(v, 0.52, 0.9);
                    let wall = [230.0, 226.0, 219.0];
                    mix(wall, [253.0, 244.0, 224.0], across * down * 0.8)
                } else {
                    let depth = (fy - horizon) / (h - horizon);
                    let stone = mix([226.0, 221.0, 212.0], [200.0, 194.0, 184.0], depth);
                    let speckle = 1.0 + 0.02 * hash(x, y) + 0.015 * hash(x / 7, y / 7);
                    let edge = 1.0 - 0.15 * (1.0 - smoothstep(0.0, 0.02, depth));
                    stone.map(|c| c * speckle * edge)
                }
            }
        };
        let [r, g, b] = rgb.map(|c| c.round().clamp(0.0, 255.0) as u8);
        Rgba([r, g, b, 255])
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_scene_has_its_wall_above_and_its_floor_below() {
        let luma = |p: &Rgba<u8>| 0.3 * f32::from(p[0]) + 0.59 * f32::from(p[1]) + 0.11 * f32::from(p[2]);
        for scene in [Scene::Studio, Scene::Table, Scene::Sunlit] {
            let img = draw(scene, 400, 400, (200.0, 344.0));
            assert_eq!(img, draw(scene, 400, 400, (200.0, 344.0)), "{scene:?}: the same every time");
            let wall = img.get_pixel(200, 20);
            let floor = img.get_pixel(200, 390);
            assert!(luma(wall) > 150.0 && luma(floor) > 80.0, "{scene:?}: {wall:?} {floor:?}");
        }
        // The table is wood: warm and darker than its wall; the sunlit wall has brighter panes of light.
        let table = draw(Scene::Table, 400, 400, (200.0, 344.0));
        let wood = table.get_pixel(60, 380);
        assert!(wood[0] > wood[1] && wood[1] > wood[2] && luma(wood) < luma(table.get_pixel(60, 60)) - 60.0);
        let sunlit = draw(Scene::Sunlit, 400, 400, (200.0, 344.0));
        let row: Vec<f32> = (0..400).map(|x| luma(sunlit.get_pixel(x, 60))).collect();
        let (low, high) = row.iter().fold((f32::MAX, 0f32), |(l, h), &v| (l.min(v), h.max(v)));
        assert!(high - low > 8.0, "light and shade on the wall: {low}..{high}");
    }
}
