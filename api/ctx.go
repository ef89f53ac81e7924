package api

import "context"

type ctxt = context.Context
