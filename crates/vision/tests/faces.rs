//! The real BlazeFace model (from `target/models/`, put there by `cargo xtask bootstrap`) on a real face:
//! NASA's portrait of the astronaut Eileen Collins (public domain, from scikit-image's data), upright and
//! turned; and on a photo with no face.

use vinano_imaging::face::{rotate_about, FaceFinder};
use vinano_vision::{sample, BlazeFace};

fn file(name: &str) -> Vec<u8> {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../target/models").join(name);
    std::fs::read(&path)
        .unwrap_or_else(|e| panic!("{}: {e}; `cargo xtask bootstrap` fetches it", path.display()))
}

fn near(a: (f32, f32), b: (f32, f32), by: f32) -> bool {
    (a.0 - b.0).abs() <= by && (a.1 - b.1).abs() <= by
}

#[test]
fn the_astronaut_s_face_and_eyes_are_found_and_a_turn_is_measured() {
    let model = BlazeFace::load(&file("blazeface-front-128.onnx")).unwrap();
    let photo = image::load_from_memory(&file("astronaut.png")).unwrap().to_rgb8();
    let faces = model.faces(&photo).unwrap();
    println!("faces: {faces:?}");
    assert_eq!(faces.len(), 1, "{faces:?}");
    let face = faces[0];
    assert!(face.score > 0.8, "{face:?}");
    // Her eyes and chin, looked up by hand in the 512 × 512 picture: eyes at about (203, 102) and
    // (247, 103), the chin at y = 161.
    assert!(near(face.eyes[0], (203.0, 102.0), 8.0) && near(face.eyes[1], (247.0, 103.0), 8.0), "{face:?}");
    assert!(face.tilt().to_degrees().abs() < 4.0, "{face:?}");
    assert!((face.chin() - 161.0).abs() < 8.0, "chin at {}", face.chin());
    // Turned 12° clockwise about her face: the eye line tilts by as much.
    let turned = rotate_about(&photo, 12f32.to_radians(), (222.0, 125.0), [128, 128, 128]);
    let tilt = model.faces(&turned).unwrap()[0].tilt().to_degrees();
    println!("turned 12°: measured {tilt:.1}°");
    assert!((tilt - 12.0).abs() < 2.0, "{tilt}");
}

#[test]
fn a_photo_without_a_face_has_none() {
    let model = BlazeFace::load(&file("blazeface-front-128.onnx")).unwrap();
    let (figure, _) = sample::figure(480, 360);
    assert_eq!(model.faces(&figure).unwrap(), vec![]);
    assert!(BlazeFace::load(b"not the model").is_err());
}
