//! The steps the composer's settings add after an instruction's own (the aspect crop, then the style), and
//! the file format they ask for: the same on the server and on the person's device.

use crate::Operation;
use vinano_api::{EditParams, Format, Style};
use vinano_imaging::OutputFormat;

/// The steps `params` add after the instruction's own: the aspect crop, then the style.
pub fn operations(params: &EditParams) -> Vec<Operation> {
    let mut ops = Vec::new();
    if let Some((w, h)) = params.aspect.ratio() {
        ops.push(Operation::CropAspect { w, h });
    }
    match params.style {
        Style::None => {}
        Style::Vivid => ops.push(Operation::Contrast { percent: 25 }),
        Style::Mono => ops.push(Operation::Grayscale),
        Style::Bright => ops.push(Operation::Brightness { percent: 15 }),
        Style::Soft => ops.push(Operation::Contrast { percent: -20 }),
    }
    ops
}

/// The file format a result is stored in; `None` picks the best for the image.
pub fn output_format(format: Format) -> Option<OutputFormat> {
    match format {
        Format::Auto => None,
        Format::Jpeg => Some(OutputFormat::Jpeg),
        Format::Png => Some(OutputFormat::Png),
        Format::Webp => Some(OutputFormat::WebP),
    }
}

/// The format a result is written in: the one asked for, except that a cut-out asked for as JPEG (which
/// has no transparency) is kept as a PNG — `true` then, for the reply to say why.
pub fn result_format(asked: Option<OutputFormat>, transparent: bool) -> (Option<OutputFormat>, bool) {
    match asked {
        Some(OutputFormat::Jpeg) if transparent => (Some(OutputFormat::Png), true),
        other => (other, false),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use vinano_api::Aspect;

    #[test]
    fn settings_add_a_crop_then_a_style() {
        let params = EditParams { aspect: Aspect::Square, style: Style::Mono, ..EditParams::default() };
        assert_eq!(operations(&params), vec![Operation::CropAspect { w: 1, h: 1 }, Operation::Grayscale]);
        assert!(operations(&EditParams::default()).is_empty());
        assert_eq!(output_format(Format::Webp), Some(OutputFormat::WebP));
        assert_eq!(result_format(Some(OutputFormat::Jpeg), true), (Some(OutputFormat::Png), true));
        assert_eq!(result_format(Some(OutputFormat::Jpeg), false), (Some(OutputFormat::Jpeg), false));
        assert_eq!(result_format(None, true), (None, false));
    }
}
