use mcp_runtime::prelude::*;

struct Point {
    x: f64,
    y: f64,
}

/// The distance of a point from the origin.
#[mcp_tool]
fn norm(#[args] point: Point) -> f64 {
    (point.x * point.x + point.y * point.y).sqrt()
}

fn main() {}
