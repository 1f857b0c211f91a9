//! Two of U²-Net-p's data-moving steps done plane by plane instead of through tract's general versions.
//!
//! tract pads (118 times in U²-Net-p, before its dilated convolutions) by filling an n-dimensional array
//! and assigning a slice of it, and resizes (38 bilinear upsamplings) one axis at a time through generic
//! index arithmetic: together 40 % of the model's time on the server, on one thread. [`speed_up`] swaps
//! each such node, once the model is optimised, for an op that works on whole rows of each image plane,
//! spread over the cores tract is given ([`tract_linalg::multithread`]; one on wasm32). The answers are
//! the same to the bit: the same taps and weights (tract's own resampling plan), added in the same order.

use tract_onnx::prelude::*;
use tract_onnx::tract_core::internal::*;
use tract_onnx::tract_core::ops::array::{Pad, PadMode};
use tract_onnx::tract_core::ops::nn::resize::{AxisPlan, Interpolator, Resize};
use tract_onnx::tract_core::tract_linalg::multithread::par_chunks_mut;

/// Replaces every pad of the last two axes of a 4-D `f32` tensor with a constant, and every linear resize
/// of them, with the plane-wise ops of this module. Other nodes are left as they are.
pub(crate) fn speed_up(model: &mut TypedModel) -> TractResult<()> {
    for id in model.eval_order()? {
        let node = &model.nodes[id];
        let patch = if let Some(pad) = node.op_as::<Pad>() {
            PlanePad::for_node(model, node, pad)?
                .map(|op| TypedModelPatch::replace_single_op(model, node, &[node.inputs[0]], op))
        } else if let Some(resize) = node.op_as::<Resize>() {
            PlaneResize::for_node(model, node, resize)?
                .map(|op| TypedModelPatch::replace_single_op(model, node, &[node.inputs[0]], op))
        } else {
            None
        };
        if let Some(patch) = patch {
            patch?.apply(model)?;
        }
    }
    Ok(())
}

/// The concrete shape of a 4-D `f32` outlet, if it is one.
fn planes_shape(model: &TypedModel, outlet: OutletId) -> TractResult<Option<[usize; 4]>> {
    let fact = model.outlet_fact(outlet)?;
    if fact.datum_type != f32::datum_type() || fact.rank() != 4 {
        return Ok(None);
    }
    let dims: Option<Vec<usize>> = fact.shape.iter().map(|d| d.to_usize().ok()).collect();
    Ok(dims.map(|d| [d[0], d[1], d[2], d[3]]))
}

/// A constant pad of the last two axes: `[top, bottom, left, right]` and the value's bits.
#[derive(Debug, Clone, PartialEq, Eq)]
struct PlanePad {
    sides: [usize; 4],
    value: u32,
}

impl PlanePad {
    fn for_node(model: &TypedModel, node: &TypedNode, pad: &Pad) -> TractResult<Option<Self>> {
        let PadMode::Constant(value) = &pad.mode else { return Ok(None) };
        if planes_shape(model, node.inputs[0])?.is_none()
            || pad.pads.len() != 4
            || pad.pads[..2] != [(0, 0); 2]
        {
            return Ok(None);
        }
        let value = value.cast_to_scalar::<f32>()?;
        let [(top, bottom), (left, right)] = [pad.pads[2], pad.pads[3]];
        Ok(Some(Self { sides: [top, bottom, left, right], value: value.to_bits() }))
    }
}

impl Op for PlanePad {
    fn name(&self) -> StaticName {
        "PlanePad".into()
    }

    op_as_typed_op!();
}

impl EvalOp for PlanePad {
    op_out_of_plan!();

    fn eval(&self, _ctx: &EvalContext, inputs: TVec<TValue>) -> TractResult<TVec<TValue>> {
        let input = args_1!(inputs);
        let [n, c, h, w] = [0, 1, 2, 3].map(|a| input.shape()[a]);
        let [top, bottom, left, right] = self.sides;
        let (oh, ow) = (h + top + bottom, w + left + right);
        let value = f32::from_bits(self.value);
        let src = input.try_as_plain_ram()?.as_slice::<f32>()?;
        let mut output = Tensor::zero::<f32>(&[n, c, oh, ow])?;
        let mut out = output.try_as_plain_ram_mut()?;
        par_chunks_mut(out.as_slice_mut::<f32>()?, oh * ow, n * c * oh * ow, |first, chunk| {
            for (k, plane) in chunk.chunks_exact_mut(oh * ow).enumerate() {
                let from = &src[(first + k) * h * w..][..h * w];
                plane[..top * ow].fill(value);
                plane[(top + h) * ow..].fill(value);
                for (row, source) in
                    plane[top * ow..(top + h) * ow].chunks_exact_mut(ow).zip(from.chunks_exact(w))
                {
                    row[..left].fill(value);
                    row[left..left + w].copy_from_slice(source);
                    row[left + w..].fill(value);
                }
            }
            Ok(())
        })?;
        Ok(tvec!(output.into_tvalue()))
    }
}

impl TypedOp for PlanePad {
    as_op!();

    fn output_facts(&self, inputs: &[&TypedFact]) -> TractResult<TVec<TypedFact>> {
        let mut fact = inputs[0].without_value();
        let [top, bottom, left, right] = self.sides;
        fact.shape.set(2, fact.shape[2].clone() + top + bottom);
        fact.shape.set(3, fact.shape[3].clone() + left + right);
        Ok(tvec!(fact))
    }
}

/// One axis's taps: for each output index, `window` source indices and weights.
#[derive(Debug, Clone)]
struct Taps {
    window: usize,
    indices: Vec<usize>,
    weights: Vec<f32>,
}

impl From<AxisPlan> for Taps {
    fn from(plan: AxisPlan) -> Self {
        Self { window: plan.window, indices: plan.indices, weights: plan.weights }
    }
}

/// A linear resize of the last two axes from `from` to `to` (height, width).
#[derive(Debug, Clone)]
struct PlaneResize {
    from: [usize; 2],
    to: [usize; 2],
    rows: Arc<Taps>,
    columns: Arc<Taps>,
}

impl PartialEq for PlaneResize {
    fn eq(&self, other: &Self) -> bool {
        self.from == other.from
            && self.to == other.to
            && Arc::ptr_eq(&self.rows, &other.rows)
            && Arc::ptr_eq(&self.columns, &other.columns)
    }
}

impl Eq for PlaneResize {}

impl PlaneResize {
    fn for_node(model: &TypedModel, node: &TypedNode, resize: &Resize) -> TractResult<Option<Self>> {
        let (Some(input), Some(output)) =
            (planes_shape(model, node.inputs[0])?, planes_shape(model, OutletId::new(node.id, 0))?)
        else {
            return Ok(None);
        };
        if resize.interpolator != Interpolator::Linear || input[..2] != output[..2] {
            return Ok(None);
        }
        // The scales tract's own op would use: a constant scales input of full rank, or output over input.
        let given = resize
            .optional_scales_input
            .and_then(|ix| node.inputs.get(ix))
            .and_then(|outlet| model.outlet_fact(*outlet).ok())
            .and_then(|fact| fact.konst.clone())
            .filter(|k| k.len() == 4);
        let scales: Vec<f32> = match given {
            Some(k) => k.cast_to::<f32>()?.try_as_plain_ram()?.as_slice::<f32>()?.to_vec(),
            None => output.iter().zip(input).map(|(o, i)| *o as f32 / i as f32).collect(),
        };
        if scales[..2] != [1.0, 1.0] {
            return Ok(None);
        }
        let plans = [2, 3].map(|axis| resize.plan_axis(scales[axis], input[axis], output[axis]));
        if plans.iter().any(|p| p.extrapolated.iter().any(|e| *e)) {
            return Ok(None);
        }
        let [rows, columns] = plans.map(|p| Arc::new(Taps::from(p)));
        Ok(Some(Self { from: [input[2], input[3]], to: [output[2], output[3]], rows, columns }))
    }

    /// One plane: rows first, then columns, each tap added in order and zero weights skipped, as tract's
    /// separable resize does.
    fn plane(&self, src: &[f32], dst: &mut [f32], line: &mut [f32]) {
        let ([_, w], [_, ow]) = (self.from, self.to);
        let (rows, columns) = (&*self.rows, &*self.columns);
        for (y, out) in dst.chunks_exact_mut(ow).enumerate() {
            line.fill(0.0);
            let taps = y * rows.window..(y + 1) * rows.window;
            for (&i, &k) in rows.indices[taps.clone()].iter().zip(&rows.weights[taps]) {
                if k != 0.0 {
                    for (l, s) in line.iter_mut().zip(&src[i * w..(i + 1) * w]) {
                        *l += k * s;
                    }
                }
            }
            for (x, o) in out.iter_mut().enumerate() {
                let taps = x * columns.window..(x + 1) * columns.window;
                let mut sum = 0.0f32;
                for (&i, &k) in columns.indices[taps.clone()].iter().zip(&columns.weights[taps]) {
                    if k != 0.0 {
                        sum += k * line[i];
                    }
                }
                *o = sum;
            }
        }
    }
}

impl Op for PlaneResize {
    fn name(&self) -> StaticName {
        "PlaneResize".into()
    }

    op_as_typed_op!();
}

impl EvalOp for PlaneResize {
    op_out_of_plan!();

    fn eval(&self, _ctx: &EvalContext, inputs: TVec<TValue>) -> TractResult<TVec<TValue>> {
        let input = args_1!(inputs);
        let [n, c] = [input.shape()[0], input.shape()[1]];
        let ([h, w], [oh, ow]) = (self.from, self.to);
        ensure!(input.shape()[2..] == [h, w], "PlaneResize made for {h} × {w}, given {:?}", input.shape());
        let src = input.try_as_plain_ram()?.as_slice::<f32>()?;
        let mut output = Tensor::zero::<f32>(&[n, c, oh, ow])?;
        let mut out = output.try_as_plain_ram_mut()?;
        par_chunks_mut(out.as_slice_mut::<f32>()?, oh * ow, n * c * oh * ow, |first, chunk| {
            let mut line = vec![0.0f32; w];
            for (k, plane) in chunk.chunks_exact_mut(oh * ow).enumerate() {
                self.plane(&src[(first + k) * h * w..][..h * w], plane, &mut line);
            }
            Ok(())
        })?;
        Ok(tvec!(output.into_tvalue()))
    }
}

impl TypedOp for PlaneResize {
    as_op!();

    fn output_facts(&self, inputs: &[&TypedFact]) -> TractResult<TVec<TypedFact>> {
        let mut fact = inputs[0].without_value();
        fact.shape.set(2, self.to[0].into());
        fact.shape.set(3, self.to[1].into());
        Ok(tvec!(fact))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use tract_onnx::tract_core::ops::nn::resize::{CoordTransformer, Nearest};

    /// A pad, then a linear resize by `resize_to`: tract's own ops and this module's give the same bits.
    fn same_answer(
        pad: Vec<(usize, usize)>,
        transform: CoordTransformer,
        resize_to: [i64; 4],
        by_scales: bool,
    ) {
        let mut model = TypedModel::default();
        let x = model.add_source("x", f32::fact([1, 3, 7, 5])).unwrap();
        let mode = PadMode::Constant(Arc::new(0.25f32.into()));
        let padded = model.wire_node("pad", Pad::new(pad, mode), &[x]).unwrap()[0];
        let shape = model.outlet_fact(padded).unwrap().shape.as_concrete().unwrap().to_vec();
        let aux = if by_scales {
            let scales: Vec<f32> = resize_to.iter().zip(&shape).map(|(o, i)| *o as f32 / *i as f32).collect();
            tensor1(&scales)
        } else {
            tensor1(&resize_to)
        };
        let aux = model.add_const("aux", aux).unwrap();
        let resize = Resize {
            coord_transformer: transform,
            interpolator: Interpolator::Linear,
            nearest: Nearest::Floor,
            optional_scales_input: by_scales.then_some(1),
            optional_sizes_input: (!by_scales).then_some(1),
        };
        let out = model.wire_node("resize", resize, &[padded, aux]).unwrap();
        model.select_output_outlets(&out).unwrap();

        let input: Vec<f32> = (0..105).map(|i| ((i * 37) % 101) as f32 / 7.0 - 3.0).collect();
        let input = Tensor::from_shape(&[1, 3, 7, 5], &input).unwrap();
        let answer = |model: TypedModel| {
            let out = model.into_runnable().unwrap().run(tvec!(input.clone().into())).unwrap();
            out[0].try_as_plain_ram().unwrap().as_slice::<f32>().unwrap().to_vec()
        };
        let theirs = answer(model.clone());
        speed_up(&mut model).unwrap();
        model.compact().unwrap();
        let names: Vec<String> = model.nodes.iter().map(|n| n.op().name().to_string()).collect();
        assert!(
            names.contains(&"PlanePad".to_string()) && names.contains(&"PlaneResize".to_string()),
            "{names:?}"
        );
        let ours = answer(model);
        assert_eq!(ours.len(), resize_to.iter().product::<i64>() as usize);
        assert_eq!(theirs, ours);
    }

    #[test]
    fn plane_ops_give_tract_s_answers_to_the_bit() {
        same_answer(
            vec![(0, 0), (0, 0), (2, 2), (2, 2)],
            CoordTransformer::PytorchHalfPixel,
            [1, 3, 22, 18],
            true,
        );
        same_answer(vec![(0, 0), (0, 0), (1, 0), (0, 3)], CoordTransformer::HalfPixel, [1, 3, 13, 7], false);
        same_answer(
            vec![(0, 0), (0, 0), (0, 0), (0, 0)],
            CoordTransformer::AlignCorners,
            [1, 3, 5, 4],
            false,
        );
    }
}
