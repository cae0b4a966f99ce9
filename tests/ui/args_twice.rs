use mcp_runtime::prelude::*;

#[derive(Deserialize, JsonSchema)]
struct Point {
    x: f64,
    y: f64,
}

/// The distance between two points.
#[mcp_tool]
fn distance(#[args] a: Point, #[args] b: Point) -> f64 {
    ((a.x - b.x).powi(2) + (a.y - b.y).powi(2)).sqrt()
}

fn main() {}
