"""The only modules that talk to DynamoDB, SQS, SNS, SSM and Secrets Manager."""
