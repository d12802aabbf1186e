"""The offline stack: template.yaml's resources in moto, fake news server, local receivers."""
