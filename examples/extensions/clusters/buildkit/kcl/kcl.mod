[package]
name = "buildkit"
edition = "v0.9.0"
version = "0.12.0"
