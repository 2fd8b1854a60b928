// The AWS adapter module: SigV4, credentials, Route53, CloudWatch and SNS clients.
import FailoverCore
