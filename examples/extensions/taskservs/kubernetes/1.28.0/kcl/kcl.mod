[package]
name = "kubernetes"
edition = "v0.9.0"
version = "1.28.0"
