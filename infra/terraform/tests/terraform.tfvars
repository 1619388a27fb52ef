# Inputs shared by every suite in tests/ (terraform test loads this file for each; a suite's own variables win).
name                 = "acme-wfm"
vpc_id               = "vpc-0123456789abcdef0"
private_subnet_ids   = ["subnet-0123456789abcdef0"]
consumer_image       = "111122223333.dkr.ecr.eu-west-1.amazonaws.com/connect-wfm@sha256:0000000000000000000000000000000000000000000000000000000000000000"
ecr_repository_arn   = "arn:aws:ecr:eu-west-1:111122223333:repository/connect-wfm"
lambda_artifact_path = "tests/fixtures/transfer.zip"
wfm_rta_url          = "https://wfm.example.com"
wfm_source_id        = "AmazonConnect"
sftp_host            = "sftp.example.com"
sftp_username        = "acme"
sftp_host_key_sha256 = "SHA256:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"
