"""What the dashboard shows for the peers' answers: plain functions, no Gradio, both languages."""
